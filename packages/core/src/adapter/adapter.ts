/**
 * The authentication lifecycle, mirroring AD FS `IAuthenticationAdapter`: metadata,
 * isAvailableForUser, begin, end — over a {@link DeliveryChannel}.
 *
 * State lives in two places only: the store (farm-wide, atomic updates) and the sealed context
 * handed to the caller (encrypted, authenticated, expiring). No server-side session, so any node
 * of a farm can finish what another began.
 *
 * Expected outcomes — wrong, reused or expired code, locked or disabled user — are returned as
 * {@link EndResult} values, never thrown.
 *
 * @see DESIGN.md "Authentication lifecycle"
 * @module adapter
 */
import { ChannelError, ContextError, DirectoryError, isSecureMfaError } from '../errors.js';
import { EventId } from '../log/events.js';
import type { Logger } from '../log/logger.js';
import {
  atomicLockoutCondition,
  evaluateLockout,
  lockoutWindowStart,
  type LockoutPolicy,
} from '../lockout/lockout.js';
import type { Directory } from '../directory/directory.js';
import type { LogonMeta, UserRecord, UserStore } from '../store/user-store.js';
import type { DeliveryChannel, Presentation } from './delivery-channel.js';
import type { Presenter } from './presenter.js';

/** AD FS authentication method URI the providers assert. */
export const OTP_AUTH_METHOD = 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp';
/** Claim type of the authentication method claim. */
export const AUTH_METHOD_CLAIM =
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod';
/** Identity claim the adapter needs (UPN). */
export const UPN_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';

/** A claim issued on success. */
export interface Claim {
  type: string;
  value: string;
}

/** What `begin` decided. */
export type BeginStatus =
  'enroll' | 'code_sent' | 'enter_code' | 'locked' | 'disabled' | 'unavailable';

/** The result of {@link Adapter.begin}: the wire shape of POST /adapter/begin. */
export interface BeginResult {
  context: string;
  status: BeginStatus;
  presentation: Presentation;
}

/** Why `end` failed. */
export type EndFailureReason = 'invalid_code' | 'reused_code' | 'locked' | 'disabled' | 'expired';

/** The result of {@link Adapter.end}: the wire shape of POST /adapter/end. */
export type EndResult =
  | { ok: true; upn: string; claims: Claim[] }
  | {
      ok: false;
      reason: EndFailureReason;
      presentation: Presentation;
      /** The input was not a code at all (wrong length, not digits): counted as a failure. */
      malformed?: boolean;
    };

/** Request facts passed to begin/end. */
export interface RequestMeta extends LogonMeta {
  /** Preferred language (already negotiated), e.g. `de`. */
  lang?: string | undefined;
  /**
   * `end` only: called with the context's UPN before any store work (the host's per-user rate
   * limit); throw to refuse the request.
   */
  beforeVerify?: ((upn: string) => void) | undefined;
}

/** Per-language metadata for the identity provider's UI. */
export interface AdapterMetadata {
  authenticationMethods: string[];
  identityClaims: string[];
  friendlyNames: Record<string, string>;
  descriptions: Record<string, string>;
  availableLcids?: string[];
}

/** The payload sealed inside the context. */
export interface AuthContext {
  /** UPN as the caller gave it. */
  upn: string;
  lang: string;
}

/** Seals and opens contexts (crypto/sealed-context, bound to a key). */
export interface ContextSealer {
  seal(payload: AuthContext, now: Date): Promise<string>;
  /** @throws {ContextError} ERR_CONTEXT_EXPIRED / ERR_CONTEXT_INVALID */
  open(token: string, now: Date): Promise<AuthContext>;
}

/** Encrypts and decrypts stored secrets (crypto/secret-cipher). */
export interface SecretCodec {
  encrypt(plainBase32: string): string;
  decrypt(stored: string): string;
}

/** TOTP operations the adapter needs (totp module, bound to the configured parameters). */
export interface TotpEngine {
  /** Step size in seconds (totp_validity_seconds). */
  readonly step: number;
  /** Code length (6–8). */
  readonly digits: number;
  generateSecret(): string;
  generate(secret: string, epochSeconds: number): string;
  verify(
    secret: string,
    token: string,
    epochSeconds: number,
    afterStep: number,
  ): { valid: true; step: number } | { valid: false; reason: 'mismatch' | 'reused' | 'malformed' };
}

/** Everything the adapter is built from (all injected). */
export interface AdapterOptions {
  store: UserStore;
  channel: DeliveryChannel;
  totp: TotpEngine;
  codec: SecretCodec;
  sealer: ContextSealer;
  presenter: Presenter;
  metadata: AdapterMetadata;
  lockout: LockoutPolicy;
  /** totp_allow_reuse */
  allowReuse: boolean;
  logger: Logger;
  /** Where send channels find recipients and custom attributes. */
  directory?: Directory | undefined;
  /** Channel timeout in milliseconds (default 10,000). */
  channelTimeoutMs?: number;
  /** Clock (default `() => new Date()`). */
  clock?: () => Date;
}

/** The lifecycle object a host or integration drives. */
export interface Adapter {
  metadata(): AdapterMetadata;
  isAvailableForUser(upn: string): Promise<boolean>;
  begin(upn: string, meta?: RequestMeta): Promise<BeginResult>;
  end(context: string, code: string, meta?: RequestMeta): Promise<EndResult>;
}

const MAX_UPN_LENGTH = 256;
/** Longest code input looked at; anything longer is malformed without further work. */
const MAX_CODE_INPUT = 64;
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;

function checkUpn(upn: unknown): string {
  if (typeof upn !== 'string') throw new TypeError('"upn" must be a string');
  const trimmed = upn.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_UPN_LENGTH || CONTROL_CHAR.test(trimmed)) {
    throw new TypeError(`"upn" must be 1–${MAX_UPN_LENGTH} printable characters`);
  }
  return trimmed;
}

/**
 * Create the adapter for one provider.
 *
 * @param options - store, channel, crypto, TOTP engine, presenter, policy, logger (all injected)
 * @returns the adapter
 * @throws {TypeError} when a required dependency is missing
 * @example
 * ```ts
 * const adapter = createAdapter({ store, channel, totp, codec, sealer, presenter, metadata,
 *   lockout: { maxFailures: 5, lockoutMinutes: 15 }, allowReuse: false, logger });
 * const { context, status } = await adapter.begin('alice@adatum.labnet', { ip, lang: 'de' });
 * const result = await adapter.end(context, '123456', { ip });
 * ```
 */
export function createAdapter(options: AdapterOptions): Adapter {
  for (const key of [
    'store',
    'channel',
    'totp',
    'codec',
    'sealer',
    'presenter',
    'logger',
  ] as const) {
    if (options[key] === undefined || options[key] === null) {
      throw new TypeError(`"${key}" option is required`);
    }
  }
  const { store, channel, totp, codec, sealer, presenter, lockout, allowReuse, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const channelTimeoutMs = options.channelTimeoutMs ?? 10_000;
  const epoch = (d: Date): number => Math.floor(d.getTime() / 1000);
  const validUntil = (now: Date): Date =>
    new Date((Math.floor(epoch(now) / totp.step) + 1) * totp.step * 1000);

  const lockedPresentation = (record: UserRecord, lang: string, now: Date) => {
    const d = evaluateLockout(record, lockout, now);
    return d.locked ? presenter.locked(lang, d.until) : undefined;
  };

  /** Create the record (new random secret) for a user who has none. */
  const enrolNew = async (
    upn: string,
    now: Date,
  ): Promise<{ record: UserRecord; secret: string }> => {
    const secret = totp.generateSecret();
    const record = await store.enrol(upn, codec.encrypt(secret), now);
    logger.event(EventId.ProviderSuccess, 'user record created', { upn });
    return { record, secret };
  };

  const recipientAttributes = async (upn: string): Promise<Record<string, string>> => {
    if (channel.mode !== 'send' || options.directory === undefined) return {};
    const names = [...new Set(['mail', 'mobile', ...(channel.attributes ?? [])])];
    try {
      return await options.directory.attributes(upn, names, AbortSignal.timeout(channelTimeoutMs));
    } catch (err) {
      if (isSecureMfaError(err)) throw err;
      throw new DirectoryError('directory lookup failed', { cause: err });
    }
  };

  const begin = async (rawUpn: string, meta: RequestMeta = {}): Promise<BeginResult> => {
    const upn = checkUpn(rawUpn);
    const lang = meta.lang ?? 'en';
    const now = clock();
    const context = await sealer.seal({ upn, lang }, now);
    const reply = (status: BeginStatus, presentation: Presentation): BeginResult => ({
      context,
      status,
      presentation,
    });

    let record = await store.get(upn);
    let secret: string | undefined;
    if (record === undefined) ({ record, secret } = await enrolNew(upn, now));
    if (!record.enabled) return reply('disabled', presenter.disabled(lang));
    const locked = lockedPresentation(record, lang, now);
    if (locked !== undefined) return reply('locked', locked);

    if (channel.mode === 'app') {
      if (record.logon === 1) return reply('enter_code', presenter.enterCode(lang));
      secret ??= codec.decrypt(record.secret);
      return reply('enroll', await channel.enrolment(record, secret, lang, meta));
    }

    // A send channel: make the code for the current step and hand it over.
    const attributes = await recipientAttributes(upn);
    const to = channel.recipient(upn, attributes);
    if (to === undefined) {
      logger.event(EventId.ProviderFailure, 'no delivery address for user', {
        upn,
        reason: 'no_recipient',
      });
      return reply('unavailable', presenter.unavailable(lang));
    }
    secret ??= codec.decrypt(record.secret);
    const code = totp.generate(secret, epoch(now));
    const until = validUntil(now);
    try {
      const receipt = await channel.deliver(
        {
          upn,
          to,
          code,
          validUntil: until,
          lang,
          ip: meta.ip,
          userAgent: meta.userAgent,
          attributes,
        },
        AbortSignal.timeout(channelTimeoutMs),
      );
      logger.event(EventId.ProviderSuccess, `code delivered via ${channel.name}`, {
        upn,
        ip: meta.ip,
        destination: receipt.destination,
      });
      return reply('code_sent', presenter.codeSent(lang, receipt, until));
    } catch (err) {
      const reason = err instanceof ChannelError ? err.code : 'ERR_INTERNAL';
      logger.event(EventId.ProviderFailure, `code delivery via ${channel.name} failed`, {
        upn,
        ip: meta.ip,
        reason,
        error: err instanceof Error ? err.message : String(err),
      });
      const userMessage = err instanceof ChannelError ? err.userMessage : undefined;
      return reply('unavailable', presenter.deliveryFailed(lang, userMessage));
    }
  };

  const fail = (
    reason: EndFailureReason,
    presentation: Presentation,
    upn: string,
    meta: RequestMeta,
  ): Extract<EndResult, { ok: false }> => {
    logger.event(EventId.OtpFailure, 'OTP rejected', { upn, ip: meta.ip, reason });
    return { ok: false, reason, presentation };
  };

  const end = async (context: string, code: string, meta: RequestMeta = {}): Promise<EndResult> => {
    if (typeof context !== 'string' || context.length === 0) {
      throw new TypeError('"context" must be a non-empty string');
    }
    if (typeof code !== 'string') throw new TypeError('"code" must be a string');
    const now = clock();
    let ctx: AuthContext;
    try {
      ctx = await sealer.open(context, now);
    } catch (err) {
      if (err instanceof ContextError && err.code === 'ERR_CONTEXT_EXPIRED') {
        return { ok: false, reason: 'expired', presentation: presenter.expired(meta.lang ?? 'en') };
      }
      throw err;
    }
    const { upn } = ctx;
    const lang = meta.lang ?? ctx.lang;
    meta.beforeVerify?.(upn);

    const record = await store.get(upn);
    if (record === undefined) return fail('expired', presenter.expired(lang), upn, meta);
    if (!record.enabled) return fail('disabled', presenter.disabled(lang), upn, meta);
    const locked = lockedPresentation(record, lang, now);
    if (locked !== undefined) return fail('locked', locked, upn, meta);

    const input = code.length > MAX_CODE_INPUT ? code.slice(0, MAX_CODE_INPUT + 1) : code.trim();
    const secret = codec.decrypt(record.secret);
    const afterStep = allowReuse ? record.laststep - 1 : record.laststep;
    const verdict = totp.verify(secret, input.replace(/\s+/g, ''), epoch(now), afterStep);

    if (verdict.valid) {
      const accepted = await store.acceptCode(upn, verdict.step, meta, now, {
        allowReuse,
        lockout: atomicLockoutCondition(lockout, now),
      });
      if (accepted.ok) {
        logger.event(EventId.OtpSuccess, 'OTP accepted', { upn, ip: meta.ip });
        return {
          ok: true,
          upn: accepted.record.upn,
          claims: [{ type: AUTH_METHOD_CLAIM, value: OTP_AUTH_METHOD }],
        };
      }
      switch (accepted.reason) {
        case 'reused':
          return fail('reused_code', presenter.reusedCode(lang), upn, meta);
        case 'disabled':
          return fail('disabled', presenter.disabled(lang), upn, meta);
        case 'not_found':
          return fail('expired', presenter.expired(lang), upn, meta);
        case 'locked': {
          const latest = accepted.record ?? (await store.get(upn)) ?? record;
          return fail(
            'locked',
            lockedPresentation(latest, lang, now) ?? presenter.disabled(lang),
            upn,
            meta,
          );
        }
      }
    }
    if (verdict.reason === 'reused')
      return fail('reused_code', presenter.reusedCode(lang), upn, meta);

    // A wrong or malformed code counts as one failure. failedcode keeps a wrong code of the
    // configured length as typed; anything else becomes a marker, never raw ('<wrong-length>'
    // for digits of another length, '<non-numeric>', '<empty>').
    const after = await store.recordFailure(upn, input, meta, now, {
      restartIfLastFailureBefore: lockoutWindowStart(lockout, now),
      codeDigits: totp.digits,
    });
    const nowLocked = after === undefined ? undefined : lockedPresentation(after, lang, now);
    if (nowLocked !== undefined) return fail('locked', nowLocked, upn, meta);
    const malformed = verdict.reason === 'malformed';
    const result = fail(
      'invalid_code',
      presenter.invalidCode(lang, malformed, totp.digits),
      upn,
      meta,
    );
    return malformed ? { ...result, malformed: true } : result;
  };

  return {
    metadata: () => options.metadata,
    async isAvailableForUser(rawUpn) {
      const upn = checkUpn(rawUpn);
      if (channel.mode === 'app') return true;
      return channel.recipient(upn, await recipientAttributes(upn)) !== undefined;
    },
    begin,
    end,
  };
}
