// A provider config from a plain object, through the same validation a file gets (checkConfig),
// failing loudly on any config error: what every end-to-end suite builds its nodes from.
import { checkConfig, type ConfigById, type ProviderId } from '@securemfa/core';

/**
 * The normalised config of `provider` from `json`.
 *
 * @param provider - the provider id (`qr-otp`, `email-otp`, `api-otp`)
 * @param json - the file's keys (strings as the manuals write them, or natives)
 * @returns the config
 * @throws Error listing every config error
 */
export function validConfig<P extends ProviderId>(
  provider: P,
  json: Record<string, unknown>,
): ConfigById[P] {
  const result = checkConfig(provider, json);
  if (result.error !== undefined) {
    throw new Error(`test config invalid:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.config;
}
