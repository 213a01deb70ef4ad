#!/usr/bin/env node
// `npm run demo`: the QR OTP provider on the embedded SQLite store with demo users.
import { existsSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/qr-otp/dist/bin.js');
if (!existsSync(bin)) {
  process.stderr.write(`${bin} is missing: the build did not produce the qr-otp CLI.\n`);
  process.exit(1);
}
const cwd = process.env.SECUREMFA_DEMO_DIR ?? join(root, '.demo');
mkdirSync(cwd, { recursive: true });
const child = spawn(process.execPath, [bin, 'serve', '--demo', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd,
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
