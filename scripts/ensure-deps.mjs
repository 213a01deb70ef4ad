#!/usr/bin/env node
// Makes a fresh clone runnable with nothing installed by hand: installs the npm dependencies
// (npm ci) when node_modules is missing or older than package-lock.json, and the Debian packages
// listed in scripts/system-deps.json when their binaries are missing (apt-get, as root).
// Plain Node, no dependencies: it runs before anything is installed.
// --npm-only skips the Debian packages (`npm run demo` needs none of them: the QR provider on the
// embedded SQLite store runs on Node alone).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`[ensure-deps] ${msg}\n`);

function run(cmd, args, opts = {}) {
  say(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    say(`command failed (exit ${r.status ?? r.signal}): ${cmd} ${args.join(' ')}`);
    process.exit(1);
  }
}

// npm ci first. Some registries (mirrors holding only this platform's packages) make npm leave
// other platforms' optional binaries (turbo, unrs-resolver) out of package-lock.json; npm ci then
// refuses the lock as "out of sync" although every package this machine needs is pinned in it.
// npm install installs exactly the locked versions too, so it is the fallback, and we check that
// it left package-lock.json untouched.
function installNpm() {
  say('$ npm ci --no-audit --no-fund');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8' });
  if (ci.status === 0) return;
  const out = `${ci.stdout}${ci.stderr}`;
  if (!/can only install packages when your package\.json and package-lock\.json/.test(out)) {
    process.stderr.write(out);
    say(`command failed (exit ${ci.status ?? ci.signal}): npm ci`);
    process.exit(1);
  }
  say(
    "npm ci refused the lock (other platforms' optional binaries are not in this registry); using npm install with the same lock",
  );
  const before = readFileSync(lock, 'utf8');
  run('npm', ['install', '--no-audit', '--no-fund']);
  if (readFileSync(lock, 'utf8') !== before) {
    say(
      'npm install changed package-lock.json: the lock does not match package.json; run npm install and commit the lock',
    );
    process.exit(1);
  }
}

function hasBinary(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

// 1. Debian packages
const npmOnly = process.argv.includes('--npm-only');
const { packages } = npmOnly
  ? { packages: [] }
  : JSON.parse(readFileSync(join(root, 'scripts/system-deps.json'), 'utf8'));
const hasDpkg = hasBinary('dpkg-query');
const isInstalled = (p) =>
  hasDpkg
    ? spawnSync('dpkg-query', ['-W', '-f=${Status}', p.package], {
        encoding: 'utf8',
      }).stdout?.includes('install ok installed')
    : hasBinary(p.binary);
const missing = packages.filter((p) => !isInstalled(p));
if (missing.length > 0) {
  const names = [...new Set(missing.map((p) => p.package))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasBinary('apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-q'], { env });
    run('apt-get', ['install', '-y', '-q', ...names], { env });
  } else {
    say(`missing system packages: ${names.join(' ')}`);
    for (const p of missing) say(`  ${p.package}: ${p.why}`);
    say(
      `install them (Debian/Ubuntu: sudo apt-get install -y ${names.join(' ')}); the suites that need them will fail until then`,
    );
  }
}

// 2. npm dependencies
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules/.package-lock.json');
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) installNpm();
else {
  try {
    execFileSync('node', ['-e', "require('better-sqlite3')"], { cwd: root, stdio: 'ignore' });
  } catch {
    say('better-sqlite3 native module is missing or was built for another Node: rebuilding');
    run('npm', ['rebuild', 'better-sqlite3']);
  }
}
