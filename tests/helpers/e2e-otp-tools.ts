// Real external tools of the QR OTP end-to-end suites: `zbarimg` (zbar-tools) decodes the QR
// image the host drew, `oathtool` (oathtool / OATH Toolkit) computes the code an authenticator app
// would show. Neither is mocked. A missing tool is a FAILED test with a message saying what to
// install — never a skipped one.
import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Upper bound of one tool run. */
const TOOL_TIMEOUT_MS = 15_000;

const INSTALL_HINT: Record<'zbarimg' | 'oathtool', string> = {
  zbarimg: 'install it: apt-get install zbar-tools (Debian/Ubuntu) or the zbar package',
  oathtool: 'install it: apt-get install oathtool (Debian/Ubuntu) or the oath-toolkit package',
};

/**
 * Throw a clear error when a tool is not on PATH (the suites must fail, not skip, without it).
 *
 * @param tool - zbarimg or oathtool
 * @returns the tool's version line
 */
export function requireTool(tool: 'zbarimg' | 'oathtool'): string {
  try {
    return execFileSync(tool, ['--version'], { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS })
      .split('\n')[0]!
      .trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `${tool} is required by the QR OTP end-to-end tests but ${
        code === 'ENOENT' ? 'is not installed (not on PATH)' : `did not run (${String(err)})`
      }: ${INSTALL_HINT[tool]}`,
    );
  }
}

function run(tool: 'zbarimg' | 'oathtool', args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err !== null) {
          const code = (err as NodeJS.ErrnoException).code;
          reject(
            new Error(
              code === 'ENOENT'
                ? `${tool} is not installed (not on PATH): ${INSTALL_HINT[tool]}`
                : `${tool} ${args.join(' ')} failed: ${err.message}\n${stderr}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/**
 * Decode a `data:image/png;base64,…` QR image with `zbarimg --raw -q`.
 *
 * @param dataUrl - the image as the host sent it
 * @param dir - a temporary folder for the PNG file
 * @param name - file name (distinct per call)
 * @returns the decoded text (without zbarimg's trailing newline)
 */
export async function decodeQrDataUrl(dataUrl: string, dir: string, name: string): Promise<string> {
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) {
    throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}…`);
  }
  const png = Buffer.from(dataUrl.slice(prefix.length), 'base64');
  // PNG signature: the host must really have drawn a PNG.
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    throw new Error('the QR image is not a PNG (bad signature)');
  }
  const file = join(dir, `${name}.png`);
  await writeFile(file, png);
  const out = await run('zbarimg', ['--raw', '-q', file]);
  return out.replace(/\r?\n$/, '');
}

/** What an otpauth:// URI says. */
export interface OtpauthUri {
  type: string;
  label: string;
  secret: string;
  issuer: string | null;
  algorithm: string;
  digits: number;
  period: number;
}

/**
 * Parse an `otpauth://totp/…` URI as an authenticator app does.
 *
 * @param uri - the URI
 * @returns its parts (defaults SHA1, 6 digits, 30 s when absent)
 */
export function parseOtpauthUri(uri: string): OtpauthUri {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:') throw new Error(`not an otpauth URI: ${uri}`);
  const secret = url.searchParams.get('secret');
  if (secret === null || !/^[A-Z2-7]+=*$/i.test(secret)) {
    throw new Error(`otpauth URI has no base32 secret: ${uri}`);
  }
  return {
    type: url.host,
    label: decodeURIComponent(url.pathname.replace(/^\//, '')),
    secret,
    issuer: url.searchParams.get('issuer'),
    algorithm: (url.searchParams.get('algorithm') ?? 'SHA1').toUpperCase(),
    digits: Number(url.searchParams.get('digits') ?? '6'),
    period: Number(url.searchParams.get('period') ?? '30'),
  };
}

/**
 * The TOTP code `oathtool` computes for a base32 secret at a given time.
 *
 * @param secret - base32 secret
 * @param epochSeconds - the time (Unix seconds)
 * @param options - digits, step, algorithm (defaults 6, 30, SHA1)
 * @returns the code
 */
export async function oathtoolTotp(
  secret: string,
  epochSeconds: number,
  options: { digits?: number; step?: number; algorithm?: string } = {},
): Promise<string> {
  const algorithm = (options.algorithm ?? 'SHA1').toUpperCase();
  const out = await run('oathtool', [
    algorithm === 'SHA1' ? '--totp' : `--totp=${algorithm}`,
    '-b',
    '-d',
    String(options.digits ?? 6),
    '-s',
    `${options.step ?? 30}s`,
    '-N',
    `@${Math.floor(epochSeconds)}`,
    secret,
  ]);
  const code = out.trim();
  if (!/^\d{6,8}$/.test(code)) throw new Error(`oathtool printed no code: "${out}"`);
  return code;
}

/**
 * Wait, if needed, so that at least `marginSeconds` remain in the current TOTP step (a code
 * computed now is then still current when the host checks it). Waits at most one margin.
 *
 * @param step - step length in seconds
 * @param marginSeconds - seconds that must remain
 * @returns the current time in Unix seconds, safely inside a step
 */
export async function safeStepNow(step = 30, marginSeconds = 2): Promise<number> {
  const nowMs = Date.now();
  const intoStep = (nowMs / 1000) % step;
  if (step - intoStep < marginSeconds) {
    await sleep(Math.ceil((step - intoStep) * 1000) + 100);
  }
  return Math.floor(Date.now() / 1000);
}

/**
 * A code the host must reject as wrong at `epochSeconds`: not the code of the previous, current
 * or next step (the host's ±1 step window), as oathtool computes them.
 *
 * @param secret - base32 secret
 * @param epochSeconds - the time
 * @param seed - varies the result between calls
 * @returns a 6-digit code outside the window
 */
export async function wrongCode(
  secret: string,
  epochSeconds: number,
  seed: number,
): Promise<string> {
  const window = new Set<string>();
  for (const delta of [-60, -30, 0, 30, 60]) {
    window.add(await oathtoolTotp(secret, epochSeconds + delta));
  }
  for (let i = 0; i < 100; i += 1) {
    const candidate = String((seed * 7919 + i * 104_729 + 123_457) % 1_000_000).padStart(6, '0');
    if (!window.has(candidate)) return candidate;
  }
  throw new Error('no wrong code found in 100 candidates');
}
