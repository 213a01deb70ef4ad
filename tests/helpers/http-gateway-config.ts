// API OTP configs for tests: from a plain object with the seed's string values, through the
// same validation a file gets (checkConfig), failing loudly on any config error.
import type { ApiOtpConfig } from '@securemfa/core';
import { validConfig } from './valid-config.js';

/**
 * A normalised ApiOtpConfig.
 *
 * @param json - the file's keys (strings as the seed writes them, or natives)
 * @returns the config
 */
export function apiConfig(json: Record<string, unknown>): ApiOtpConfig {
  return validConfig('api-otp', json);
}
