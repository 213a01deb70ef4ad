/**
 * `@securemfa/core` — the public API every provider and integration imports.
 *
 * @module @securemfa/core
 */
export * as errors from './errors.js';
export { SecureMfaError, isSecureMfaError } from './errors.js';
export type { ErrorCode, AnySecureMfaError, ConfigIssue } from './errors.js';
export { EventId } from './log/events.js';
export type {
  UserStore,
  UserRecord,
  LogonMeta,
  AcceptResult,
  AcceptCodeOptions,
  RecordFailureOptions,
  ListUsersOptions,
  ProviderRegistration,
  UserProfile,
} from './store/user-store.js';
export { sanitiseFailedCode, upnKey } from './store/user-store.js';
export type {
  DeliveryChannel,
  SendChannel,
  AppChannel,
  Presentation,
  OtpMessage,
  DeliveryReceipt,
} from './adapter/delivery-channel.js';
