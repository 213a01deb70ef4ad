// The API OTP provider's real logger (source "Secure MFA API OTP"), its records read back by the
// tests: see captured-log.ts.
import { captureProviderLog, type CapturedLog } from './captured-log.js';

export type { CapturedLog };

/**
 * Create a capturing logger.
 *
 * @param options - verboselog, secrets to scrub (as commandLogger registers them)
 * @returns the logger and its records
 */
export function captureLog(options: { verbose?: boolean; secrets?: string[] } = {}): CapturedLog {
  return captureProviderLog('Secure MFA API OTP', options);
}
