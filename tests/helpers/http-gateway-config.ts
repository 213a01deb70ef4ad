// API OTP configs for tests: from a plain object with the seed's string values, through the
// same validation a file gets (checkConfig), failing loudly on any config error.
import { checkConfig, type ApiOtpConfig } from '@securemfa/core';

/**
 * A normalised ApiOtpConfig.
 *
 * @param json - the file's keys (strings as the seed writes them, or natives)
 * @returns the config
 */
export function apiConfig(json: Record<string, unknown>): ApiOtpConfig {
  const result = checkConfig('api-otp', json);
  if (result.error !== undefined) {
    throw new Error(`test config invalid:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.config;
}
