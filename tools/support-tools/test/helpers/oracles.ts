/**
 * Independent oracles: `zbarimg` reads the terminal QR code (redrawn as a PBM image, two modules
 * per text cell as `qrcode`'s utf8 renderer draws them) and `oathtool` computes TOTP codes.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${cmd} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Decode the QR code drawn with block characters in `text` (other lines are ignored).
 *
 * @param text - the CLI output
 * @param dir - a folder for the image
 * @returns what zbarimg read
 */
export async function decodeTerminalQr(text: string, dir: string): Promise<string> {
  const qrLines = text.split('\n').filter((l) => /[█▀▄]/.test(l));
  if (qrLines.length === 0) throw new Error('no QR code in the output');
  const rows: boolean[][] = [];
  for (const line of qrLines) {
    const chars = [...line];
    rows.push(chars.map((c) => c === '█' || c === '▀'));
    rows.push(chars.map((c) => c === '█' || c === '▄'));
  }
  const quiet = 4;
  const scale = 6;
  const width = Math.max(...rows.map((r) => r.length)) + 2 * quiet;
  const padded = [
    ...Array.from({ length: quiet }, () => new Array<boolean>(width).fill(false)),
    ...rows.map((r) => [
      ...new Array<boolean>(quiet).fill(false),
      ...r,
      ...new Array<boolean>(width - quiet - r.length).fill(false),
    ]),
    ...Array.from({ length: quiet }, () => new Array<boolean>(width).fill(false)),
  ];
  const out = [`P1`, `${width * scale} ${padded.length * scale}`];
  for (const r of padded) {
    const line = r.map((v) => (v ? '1 ' : '0 ').repeat(scale)).join('');
    for (let i = 0; i < scale; i += 1) out.push(line);
  }
  const file = join(dir, `qr-${process.pid}-${Date.now()}.pbm`);
  await writeFile(file, `${out.join('\n')}\n`);
  return (await exec('zbarimg', ['-q', '--raw', file])).trim();
}

/**
 * The TOTP code of a base32 secret at a time, by oathtool.
 *
 * @param secret - base32
 * @param epochSeconds - the time
 */
export async function oathtoolCode(secret: string, epochSeconds: number): Promise<string> {
  const at = new Date(epochSeconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return (await exec('oathtool', ['--totp', '-b', `--now=${at}`, secret])).trim();
}

/** The `secret=` of an otpauth URI. */
export function uriSecret(uri: string): string {
  const s = new URL(uri).searchParams.get('secret');
  if (s === null) throw new Error(`no secret in ${uri}`);
  return s;
}

/** The otpauth URI printed by `users new` / `users reset --new-secret`. */
export function printedUri(stdout: string): string {
  const m = /otpauth URI: (otpauth:\/\/\S+)/.exec(stdout);
  if (m === null) throw new Error(`no otpauth URI in:\n${stdout}`);
  return m[1]!;
}
