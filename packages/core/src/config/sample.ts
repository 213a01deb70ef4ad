/**
 * `config init`: the text of a complete sample file — every key of the provider at its default,
 * written as the manuals write values (strings), with safe placeholders and freshly generated
 * random values for the secrets that must be unique to an installation. It loads without error.
 *
 * @module config
 */
import { randomBytes } from 'node:crypto';
import { providerKeys } from './schema/config-schemas.js';
import type { ProviderId } from './types.js';

/** Options of {@link sampleConfig}. */
export interface SampleConfigOptions {
  /** Random bytes (default `crypto.randomBytes`); injected by tests. */
  randomBytes?: (size: number) => Uint8Array;
}

/** Values a new installation gets instead of the defaults (secure choices, placeholders). */
const OVERRIDES: Record<ProviderId, Record<string, string>> = {
  'email-otp': {
    smtp_server: 'smtp.example.com',
    smtp_mailfrom: 'mfa.no.reply@example.com',
  },
  'api-otp': {
    api_allparams_inbody: 'true',
    api_customparams_msid: 'mobile',
  },
  'qr-otp': {},
};

function asText(value: unknown): string {
  return Array.isArray(value) ? value.join(';') : String(value);
}

/**
 * The text of a sample configuration file for a provider.
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param options - randomBytes
 * @returns JSON text, two-space indented, ending with a newline
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * await writeFile('SecureMfaOtpProvider.json', sampleConfig('qr-otp'), { mode: 0o600 });
 * ```
 */
export function sampleConfig(provider: ProviderId, options: SampleConfigOptions = {}): string {
  const random = (size: number): string =>
    Buffer.from((options.randomBytes ?? randomBytes)(size)).toString('base64url');
  const out: Record<string, string> = {};
  for (const key of providerKeys(provider)) out[key.name] = asText(key.default);
  // Secure by default: secrets encrypted at rest, the adapter API usable, both with unique keys.
  out.data_encryption = 'true';
  out.data_encryption_passphrase = random(24);
  out.adapter_api_key = random(32);
  // Lockout on (the manuals ship it off: "0"): 5 wrong codes in a row lock the OTP account for
  // 15 minutes, which stretches the expected time to a lucky guess from days to years.
  out.ui_login_failures = '5';
  out.ui_lockout_minutes = '15';
  Object.assign(out, OVERRIDES[provider]);
  return `${JSON.stringify(out, null, 2)}\n`;
}
