/**
 * The SecureMFA error model: one base class with a stable, documented `code`, a few subclasses
 * per area, and a discriminated union so callers can `switch (err.code)`.
 *
 * Rules (STYLE.md "Error model"):
 * - thrown = exceptional, returned = expected: a wrong, reused or expired code, a locked or
 *   disabled user are `EndResult` values, never exceptions;
 * - messages say what was got, what was expected and how to fix it, never the value of a secret;
 * - crypto failures are uninformative on purpose (one `ERR_CRYPTO_TAMPERED`);
 * - foreign errors (pg, ldapts, nodemailer, axios…) are wrapped at the module edge with `cause`.
 *
 * @module errors
 */

/** Every error code SecureMFA throws. Stable: other code and operators' alerts depend on them. */
export const ERROR_CODES = [
  'ERR_CONFIG_SYNTAX',
  'ERR_CONFIG_INVALID',
  'ERR_CONFIG_NOT_FOUND',
  'ERR_STORE_UNAVAILABLE',
  'ERR_STORE_SCHEMA',
  'ERR_STORE_CONFLICT',
  'ERR_STORE_NOT_FOUND',
  'ERR_CRYPTO_TAMPERED',
  'ERR_CRYPTO_FORMAT',
  'ERR_CONTEXT_INVALID',
  'ERR_CONTEXT_EXPIRED',
  'ERR_CHANNEL_TIMEOUT',
  'ERR_CHANNEL_AUTH',
  'ERR_CHANNEL_REJECTED',
  'ERR_CHANNEL_UNREACHABLE',
  'ERR_DIRECTORY_UNAVAILABLE',
  'ERR_REQUEST_INVALID',
  'ERR_UNAUTHORIZED',
  'ERR_RATE_LIMITED',
  'ERR_INTERNAL',
] as const;

/** A stable error code, `ERR_<AREA>_<WHAT>`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Options every SecureMFA error accepts. */
export interface SecureMfaErrorOptions {
  /** The underlying error, for the debug log only; never shown to clients. */
  cause?: unknown;
  /** Operator-facing fix suggestion, printed by the CLI as `hint:`. */
  hint?: string;
}

/**
 * Base class of every error SecureMFA throws on purpose.
 *
 * @example
 * ```ts
 * try { await store.ping(); } catch (err) {
 *   if (err instanceof SecureMfaError && err.code === 'ERR_STORE_UNAVAILABLE') { … }
 * }
 * ```
 */
export class SecureMfaError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode = 'ERR_INTERNAL';
  /** HTTP status when this crosses the host; >= 500 is never shown to clients. */
  readonly status: number = 500;
  /** CLI exit code: 2 for configuration/usage, 1 otherwise. */
  readonly exitCode: 1 | 2 = 1;
  /** Operator-facing fix suggestion. */
  readonly hint: string | undefined;

  constructor(message: string, options: SecureMfaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** One problem found in a configuration file. */
export interface ConfigIssue {
  /** The file the issue is in (or `<inline>` for a config given as an object). */
  file: string;
  /** The configuration key, seed spelling; empty for whole-file problems. */
  key: string;
  /** The offending value, already masked when the key holds a secret. */
  value?: string;
  /** What the key expects. */
  expected?: string;
  /** The full one-line message. */
  message: string;
}

/** A configuration file is missing, not JSON, or has bad values. CLI exit code 2. */
export class ConfigError extends SecureMfaError {
  override readonly code: 'ERR_CONFIG_SYNTAX' | 'ERR_CONFIG_INVALID' | 'ERR_CONFIG_NOT_FOUND';
  override readonly exitCode = 2 as const;
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(
    code: ConfigError['code'],
    message: string,
    details: { file: string; issues?: readonly ConfigIssue[] } & SecureMfaErrorOptions,
  ) {
    super(message, details);
    this.code = code;
    this.file = details.file;
    this.issues = details.issues ?? [];
  }
}

/** The store cannot be reached, is not at the expected schema version, or a write conflicted. */
export class StoreError extends SecureMfaError {
  override readonly code:
    'ERR_STORE_UNAVAILABLE' | 'ERR_STORE_SCHEMA' | 'ERR_STORE_CONFLICT' | 'ERR_STORE_NOT_FOUND';
  override readonly status: number;

  constructor(code: StoreError['code'], message: string, options: SecureMfaErrorOptions = {}) {
    super(message, options);
    this.code = code;
    this.status = code === 'ERR_STORE_NOT_FOUND' ? 404 : 503;
  }
}

/**
 * Decryption or format failure. `ERR_CRYPTO_TAMPERED` is deliberately the same for every
 * failure (MAC, padding, length, version) so that it is no oracle; the detail is in `cause`.
 */
export class CryptoError extends SecureMfaError {
  override readonly code: 'ERR_CRYPTO_TAMPERED' | 'ERR_CRYPTO_FORMAT';

  constructor(code: CryptoError['code'], message: string, options: SecureMfaErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}

/** A sealed authentication context could not be opened, or has expired. HTTP 400. */
export class ContextError extends SecureMfaError {
  override readonly code: 'ERR_CONTEXT_INVALID' | 'ERR_CONTEXT_EXPIRED';
  override readonly status = 400;

  constructor(code: ContextError['code'], message: string, options: SecureMfaErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}

/** A delivery channel (SMTP, HTTP gateway) failed. HTTP 502/504 when it crosses the host. */
export class ChannelError extends SecureMfaError {
  override readonly code:
    'ERR_CHANNEL_TIMEOUT' | 'ERR_CHANNEL_AUTH' | 'ERR_CHANNEL_REJECTED' | 'ERR_CHANNEL_UNREACHABLE';
  override readonly status: number;
  /** Text the user may see (e.g. a gateway's sanitised 200/403 body), never a secret. */
  readonly userMessage: string | undefined;

  constructor(
    code: ChannelError['code'],
    message: string,
    options: SecureMfaErrorOptions & { userMessage?: string } = {},
  ) {
    super(message, options);
    this.code = code;
    this.status = code === 'ERR_CHANNEL_TIMEOUT' ? 504 : 502;
    this.userMessage = options.userMessage;
  }
}

/** The user directory (AD/LDAP) cannot be reached or read. */
export class DirectoryError extends SecureMfaError {
  override readonly code = 'ERR_DIRECTORY_UNAVAILABLE' as const;
  override readonly status = 503;
}

/** A request to the host is malformed, unauthorised, too large or too frequent. */
export class RequestError extends SecureMfaError {
  override readonly code: 'ERR_REQUEST_INVALID' | 'ERR_UNAUTHORIZED' | 'ERR_RATE_LIMITED';
  override readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429;
  /** OAuth-style snake_case error for the `{error, error_description}` body. */
  readonly error: string;

  constructor(
    code: RequestError['code'],
    status: RequestError['status'],
    error: string,
    message: string,
    options: SecureMfaErrorOptions = {},
  ) {
    super(message, options);
    this.code = code;
    this.status = status;
    this.error = error;
  }
}

/** Any error SecureMFA throws on purpose, discriminated by `code`. */
export type AnySecureMfaError =
  | ConfigError
  | StoreError
  | CryptoError
  | ContextError
  | ChannelError
  | DirectoryError
  | RequestError
  | SecureMfaError;

/** True when `err` is a SecureMFA error (optionally with the given code). */
export function isSecureMfaError(err: unknown, code?: ErrorCode): err is AnySecureMfaError {
  return err instanceof SecureMfaError && (code === undefined || err.code === code);
}
