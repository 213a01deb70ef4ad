/**
 * `@securemfa/core` — the public API every provider and integration imports.
 *
 * The HTTP host (fastify) is the `@securemfa/core/http` subpath and the shared CLI the
 * `@securemfa/core/cli` subpath, so an integration that only verifies codes never loads them.
 * The SQLite and AD backends load lazily through {@link openStore}.
 *
 * @module @securemfa/core
 */

// errors
export * as errors from './errors.js';
export {
  SecureMfaError,
  ConfigError,
  StoreError,
  CryptoError,
  ContextError,
  ChannelError,
  DirectoryError,
  RequestError,
  ERROR_CODES,
  isSecureMfaError,
} from './errors.js';
export type { ErrorCode, AnySecureMfaError, ConfigIssue, SecureMfaErrorOptions } from './errors.js';

// totp
export {
  generateTotp,
  verifyTotp,
  currentStep,
  stepWindowEnd,
  DEFAULT_STEP_SECONDS,
  MAX_STEP_SECONDS,
  DEFAULT_DIGITS,
  DEFAULT_WINDOW,
} from './totp/totp.js';
export type {
  TotpAlgorithm,
  TotpDigits,
  TotpParams,
  GenerateTotpOptions,
  VerifyTotpOptions,
  TotpVerifyResult,
} from './totp/totp.js';
export {
  generateSecret,
  decodeSecret,
  canonicalSecret,
  NEW_SECRET_BYTES,
  MIN_SECRET_BYTES,
} from './totp/secret.js';
export { totpUri, parseAdvancedParams, labelFor } from './totp/uri.js';
export type { TotpUriOptions, AdvancedParams, ParseAdvancedParamsResult } from './totp/uri.js';

// crypto
export { constantTimeEqual } from './crypto/constant-time.js';
export { createSecretCipher, DEFAULT_DECRYPT_CACHE_SIZE } from './crypto/secret-cipher.js';
export type { SecretCipher, SecretCipherOptions } from './crypto/secret-cipher.js';
export { detectFormat } from './crypto/secret-format.js';
export type { SecretFormat } from './crypto/secret-format.js';
export { V2_DEFAULT_ITERATIONS, V2_MIN_ITERATIONS } from './crypto/v2-cipher.js';
export { DEFAULT_LEGACY_SALT } from './crypto/legacy-cipher.js';
export { sealContext, openContext, MAX_CONTEXT_TTL_SECONDS } from './crypto/sealed-context.js';
export type { ContextOptions, SealContextOptions } from './crypto/sealed-context.js';
export { signJwt, verifyJwt } from './crypto/page-jwt.js';
export type {
  SignJwtOptions,
  VerifyJwtOptions,
  PageRequestClaims,
  PageResponseClaims,
} from './crypto/page-jwt.js';
export {
  createWinEnvelope,
  winMessageRejected,
  WIN_ENVELOPE_PREFIX,
  WIN_ENVELOPE_ITERATIONS,
  WIN_ENVELOPE_KDF_SALT,
  WIN_ENVELOPE_MAX_LENGTH,
  WIN_ENVELOPE_REJECTED,
} from './crypto/win-envelope.js';
export type { WinEnvelope, WinEnvelopeOptions, WinEnvelopePurpose } from './crypto/win-envelope.js';
export {
  newWinState,
  sealWinRequest,
  openWinRequest,
  sealWinResponse,
  openWinResponse,
  DEFAULT_WIN_MAX_SKEW_SECONDS,
  MIN_WIN_MAX_SKEW_SECONDS,
  MAX_WIN_MAX_SKEW_SECONDS,
  WIN_STATE_KEY_PREFIX,
} from './crypto/win-message.js';
export type {
  WinOperation,
  WinRequestBody,
  WinRequest,
  WinResponseBody,
  WinResponse,
  WinOfflineSecret,
  SealedWinRequest,
  OpenWinRequestOptions,
} from './crypto/win-message.js';

// lockout
export {
  evaluateLockout,
  lockoutEnabled,
  lockoutWindowStart,
  atomicLockoutCondition,
} from './lockout/lockout.js';
export type { LockoutPolicy, LockoutDecision } from './lockout/lockout.js';

// log
export { EventId } from './log/events.js';
export { createLogger, createSilentLogger } from './log/logger.js';
export type { Logger, LogFields, CreateLoggerOptions, LogDestinations } from './log/logger.js';
export { createRedactor, MASK } from './log/redact.js';
export type { Redactor } from './log/redact.js';

// config
export * from './config/index.js';

// store
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
  RestoreOptions,
  RestoreOutcome,
} from './store/user-store.js';
export { sanitiseFailedCode, upnKey } from './store/user-store.js';
export { openStore, storeOptionsFromConfig, DEFAULT_SQLITE_PATH } from './store/open-store.js';
export { storeLabel } from './store/store-label.js';
export type {
  StoreOptions,
  StoreKind,
  SqliteOpenOptions,
  AdStoreOptions,
  OpenStoreDeps,
} from './store/open-store.js';
export { MemoryStore } from './store/memory.js';
export { applyAdSchema, readAdSchemaStatus, defaultDataDn } from './store/ad-schema.js';
export type { AdSchemaOptions, AdSchemaReport, AdSchemaItem } from './store/ad-schema.js';
export type { SqliteStore } from './store/sqlite.js';
export type { PostgresStore, PostgresStoreOptions } from './store/postgres.js';
export type { MssqlStore, MssqlStoreOptions } from './store/mssql.js';
export type { PostgresOpenOptions, MssqlOpenOptions } from './store/open-store.js';
export { storeProblemOf, STORE_PROBLEMS, STORE_PROBLEM_LABEL } from './store/store-problem.js';
export type { StoreProblem } from './store/store-problem.js';
export { isInspectable } from './store/store-inspection.js';
export type { StoreInspection, InspectableStore } from './store/store-inspection.js';

// directory
export type { Directory } from './directory/directory.js';
export { createStoreDirectory } from './directory/store-backed.js';
export { openLdapDirectory } from './directory/ldap.js';
export {
  openDirectory,
  directoryOptionsFromConfig,
  usesLdapDirectory,
} from './directory/open-directory.js';
export type { DirectoryOptions, DirectoryConfigKeys } from './directory/open-directory.js';
export type { LdapDirectoryOptions } from './directory/ldap.js';

// adapter
export { createAdapter, OTP_AUTH_METHOD, AUTH_METHOD_CLAIM, UPN_CLAIM } from './adapter/adapter.js';
export type {
  Adapter,
  AdapterOptions,
  AdapterMetadata,
  AuthContext,
  BeginResult,
  BeginStatus,
  Claim,
  ContextSealer,
  EndFailureReason,
  EndResult,
  RequestMeta,
  SecretCodec,
  TotpEngine,
} from './adapter/adapter.js';
export { createTotpEngine, createContextSealer } from './adapter/engines.js';
export type { TotpEngineOptions, ContextSealerOptions } from './adapter/engines.js';
export { createPresenter } from './adapter/i18n-presenter.js';
export type { PresenterOptions } from './adapter/i18n-presenter.js';
export type { Presenter } from './adapter/presenter.js';
export type { ProviderDefinition } from './adapter/provider-definition.js';
export type {
  DeliveryChannel,
  SendChannel,
  AppChannel,
  Presentation,
  OtpMessage,
  DeliveryReceipt,
} from './adapter/delivery-channel.js';

// i18n
export {
  t,
  tHtml,
  negotiateLanguage,
  resolveLanguage,
  isRightToLeft,
  textDirection,
  formatTime,
  escapeHtml,
  metadataFor,
  methodTexts,
  SUPPORTED_LANGUAGES,
  DEFAULT_LANGUAGE,
  LANGUAGE_INFO,
  isSupportedLanguage,
} from './i18n/index.js';
export type { SupportedLanguage, MessageKey } from './i18n/index.js';

// runtime: config → store, cipher, TOTP, sealer, presenter, channel, adapter
export {
  createProviderRuntime,
  providerMetadata,
  CONTEXT_TTL_SECONDS,
} from './runtime/provider-runtime.js';
export type { ProviderRuntime, ProviderRuntimeOptions } from './runtime/provider-runtime.js';
export type { ChannelContext } from './adapter/provider-definition.js';
