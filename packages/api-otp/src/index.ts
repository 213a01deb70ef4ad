/**
 * `@securemfa/api-otp` — the API OTP provider: the code is POSTed to an HTTP API gateway
 * (AWS API Gateway → SNS, Azure API Management, …) with axios. The CLI is `securemfa-api-otp`
 * (bin.ts).
 *
 * @module @securemfa/api-otp
 */
export { apiOtpProvider } from './definition.js';
export { createHttpChannel, MAX_RESPONSE_BYTES } from './http-channel.js';
export type { CreateHttpChannelOptions, HttpChannel, HttpChannelConfig } from './http-channel.js';
export { userAnchor, MAX_ANCHOR_LENGTH } from './anchor.js';
export { gatewayUri, loggableUri } from './gateway-uri.js';
export {
  buildGatewayBody,
  formatValidUntil,
  PRODUCT,
  RESERVED_BODY_KEYS,
  CODE_MASK,
} from './request-body.js';
export type { GatewayBody, GatewayBodyOptions } from './request-body.js';
export { sanitiseResponseText, MAX_RESPONSE_TEXT } from './response-text.js';
export {
  createRetryPolicy,
  nextAttempt,
  backoffDelay,
  isRetryable,
  DEFAULT_MAX_ATTEMPTS,
} from './retry-policy.js';
export type { RetryPolicy, RetryDecision, FailureKind } from './retry-policy.js';
