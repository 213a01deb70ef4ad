// What the bad-input, leak and brute-force suites share: the built provider CLIs, config files
// written as the manuals write them (every value a string, mode 0600), and a log file read back
// as JSON records.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = (p: string): string =>
  fileURLToPath(new URL(`../../${p}/dist/bin.js`, import.meta.url));

/** The built CLIs the suites run. */
export const BINS = {
  'qr-otp': bin('packages/qr-otp'),
  'email-otp': bin('packages/email-otp'),
  'api-otp': bin('packages/api-otp'),
  'win-otp': bin('packages/win-otp'),
  'support-tools': bin('tools/support-tools'),
} as const;

/** The QR OTP provider CLI (built). */
export const QR_BIN = BINS['qr-otp'];
/** The API OTP provider CLI (built). */
export const API_BIN = BINS['api-otp'];
/** The e-mail OTP provider CLI (built). */
export const EMAIL_BIN = BINS['email-otp'];

/**
 * Write a provider config file readable by its owner only (it holds keys).
 *
 * @param dir - folder
 * @param name - file name
 * @param json - the keys, as the manuals write them
 * @returns the file's path
 */
export async function writeConfigFile(
  dir: string,
  name: string,
  json: Record<string, unknown>,
): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created: an existing one keeps its own.
  await chmod(file, 0o600);
  return file;
}

/**
 * The JSON records of a log file (a line that is not JSON fails loudly: the log format is JSON).
 *
 * @param file - the log file
 * @returns the records
 */
export async function logRecords(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
