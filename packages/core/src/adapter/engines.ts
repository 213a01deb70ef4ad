/**
 * The adapter's injected engines, bound to a provider's configuration: the TOTP engine (totp
 * module with the configured step, digits and algorithm) and the context sealer (sealed-context
 * with the farm's shared secret). The secret codec is `createSecretCipher` as it is.
 *
 * @module adapter
 */
import { openContext, sealContext } from '../crypto/sealed-context.js';
import { ContextError } from '../errors.js';
import { generateSecret } from '../totp/secret.js';
import {
  DEFAULT_DIGITS,
  DEFAULT_STEP_SECONDS,
  generateTotp,
  verifyTotp,
  type TotpAlgorithm,
  type TotpDigits,
} from '../totp/totp.js';
import type { AuthContext, ContextSealer, TotpEngine } from './adapter.js';

/** Options of {@link createTotpEngine}. */
export interface TotpEngineOptions {
  /** totp_validity_seconds (default 30). */
  step?: number | undefined;
  /** Code length 6–8 (default 6). */
  digits?: TotpDigits | undefined;
  /** HMAC algorithm (default SHA1). */
  algorithm?: TotpAlgorithm | undefined;
}

/**
 * A {@link TotpEngine} with fixed parameters (±1 step window).
 *
 * @param options - step, digits, algorithm
 * @returns the engine
 * @throws {RangeError} for a step, digits or algorithm the totp module rejects
 * @example
 * ```ts
 * const totp = createTotpEngine({ step: 60, digits: 6 });
 * totp.verify(secret, '123456', Date.now() / 1000, record.laststep);
 * ```
 */
export function createTotpEngine(options: TotpEngineOptions = {}): TotpEngine {
  const params = {
    step: options.step ?? DEFAULT_STEP_SECONDS,
    digits: options.digits ?? DEFAULT_DIGITS,
    algorithm: options.algorithm ?? 'SHA1',
  } as const;
  // Validate once, here, rather than on the first request.
  generateTotp({ ...params, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', epoch: 0 });
  return {
    step: params.step,
    digits: params.digits,
    generateSecret: () => generateSecret(),
    generate: (secret, epochSeconds) =>
      generateTotp({ ...params, secret, epoch: Math.floor(epochSeconds) }),
    verify(secret, token, epochSeconds, afterStep) {
      const r = verifyTotp({
        ...params,
        secret,
        token,
        epoch: Math.floor(epochSeconds),
        afterStep,
      });
      return r.valid ? { valid: true, step: r.step } : { valid: false, reason: r.reason };
    },
  };
}

/** Options of {@link createContextSealer}. */
export interface ContextSealerOptions {
  /** The farm's shared secret (same on every node). */
  secret: string;
  /** Audience the contexts are bound to (the provider id). */
  audience: string;
  /** How long a begun sign-in may take, in seconds (default 600). */
  ttlSeconds?: number | undefined;
}

/**
 * A {@link ContextSealer} over `sealContext`/`openContext` (compact JWE, dir + A256GCM, expiring).
 *
 * @param options - secret, audience, ttlSeconds
 * @returns the sealer
 * @example
 * ```ts
 * const sealer = createContextSealer({ secret: config.adapter_api_key, audience: 'qr-otp' });
 * ```
 */
export function createContextSealer(options: ContextSealerOptions): ContextSealer {
  const ttlSeconds = options.ttlSeconds ?? 600;
  const { secret, audience } = options;
  return {
    seal: (payload, now) =>
      sealContext({ upn: payload.upn, lang: payload.lang }, { secret, audience, now, ttlSeconds }),
    async open(token, now): Promise<AuthContext> {
      const payload = await openContext(token, { secret, audience, now });
      if (typeof payload.upn !== 'string' || typeof payload.lang !== 'string') {
        throw new ContextError(
          'ERR_CONTEXT_INVALID',
          'the authentication context is missing, too long or not valid',
        );
      }
      return { upn: payload.upn, lang: payload.lang };
    },
  };
}
