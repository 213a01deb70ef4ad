/**
 * The three provider schemas, their file names, and lookups derived from the key metadata
 * (secret keys, aliases) that the loader, masking and docs share.
 *
 * @module config
 */
import type { z } from 'zod';
import type { ProviderId } from '../../adapter/provider-definition.js';
import { apiOtpSchema } from './api.js';
import { emailOtpSchema } from './email.js';
import { keyMeta, type KeyMeta } from './key.js';
import { qrOtpSchema } from './qr.js';

/** The providers configured by a JSON file, in documentation order. */
export const PROVIDER_IDS: readonly ProviderId[] = ['email-otp', 'api-otp', 'qr-otp'];

/** Configuration file names, as the manuals name them. */
export const CONFIG_FILE_NAMES: Readonly<Record<ProviderId, string>> = {
  'email-otp': 'SecureMfaEmailOtpProvider.json',
  'api-otp': 'SecureMfaApiOtpProvider.json',
  'qr-otp': 'SecureMfaOtpProvider.json',
};

/** The zod schema of each provider's file (without the api-otp dynamic custom params). */
export const configSchemas = {
  'email-otp': emailOtpSchema,
  'api-otp': apiOtpSchema,
  'qr-otp': qrOtpSchema,
} as const satisfies Record<ProviderId, z.ZodObject>;

/** One key of a provider with its metadata. */
export interface KeyInfo extends KeyMeta {
  /** The key, as the manuals spell it. */
  name: string;
  /** Its schema (absent → default). */
  schema: z.ZodType;
}

/**
 * Throw a TypeError unless `provider` is a configurable provider id (API misuse).
 *
 * @param provider - the value to check
 * @throws {TypeError} when it is not 'email-otp', 'api-otp' or 'qr-otp'
 */
export function assertProviderId(provider: unknown): asserts provider is ProviderId {
  if (typeof provider !== 'string' || !Object.hasOwn(CONFIG_FILE_NAMES, provider)) {
    throw new TypeError(
      `"provider" must be one of ${PROVIDER_IDS.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(provider)}`,
    );
  }
}

const keyCache = new Map<ProviderId, readonly KeyInfo[]>();

/**
 * The keys of a provider's file, in documentation order, with their metadata.
 *
 * @param provider - provider id
 * @returns the keys
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * providerKeys('email-otp').find((k) => k.name === 'smtp_port')?.default; // 25
 * ```
 */
export function providerKeys(provider: ProviderId): readonly KeyInfo[] {
  assertProviderId(provider);
  let keys = keyCache.get(provider);
  if (keys === undefined) {
    const shape = configSchemas[provider].shape as Record<string, z.ZodType>;
    keys = Object.entries(shape).map(([name, schema]) => ({ name, schema, ...keyMeta(schema) }));
    keyCache.set(provider, keys);
  }
  return keys;
}

/** Every secret key of every provider, with its aliases: what masking hides. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  PROVIDER_IDS.flatMap((p) =>
    providerKeys(p)
      .filter((k) => k.secret === true)
      .flatMap((k) => [k.name, ...(k.aliases ?? [])]),
  ),
);
