#!/usr/bin/env node
// Makes a fresh clone runnable with nothing installed by hand: installs the npm dependencies
// (npm ci) when node_modules is missing or older than package-lock.json, and the Debian packages
// listed in scripts/system-deps.json when their binaries are missing (apt-get, as root).
// Plain Node, no dependencies: it runs before anything is installed.
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

function hasBinary(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

// 1. Debian packages
const { packages } = JSON.parse(readFileSync(join(root, 'scripts/system-deps.json'), 'utf8'));
const missing = packages.filter((p) => !hasBinary(p.binary));
if (missing.length > 0) {
  const names = [...new Set(missing.map((p) => p.package))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasBinary('apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-q'], { env });
    run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { env });
  } else {
    say(`missing system packages: ${names.join(' ')}`);
    for (const p of missing) say(`  ${p.package}: ${p.why}`);
    say(`install them (Debian/Ubuntu: sudo apt-get install -y ${names.join(' ')}); the suites that need them will fail until then`);
  }
}

// 2. npm dependencies
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules/.package-lock.json');
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) run('npm', ['ci', '--no-audit', '--no-fund']);
else {
  try {
    execFileSync('node', ['-e', "require('better-sqlite3')"], { cwd: root, stdio: 'ignore' });
  } catch {
    say('better-sqlite3 native module is missing or was built for another Node: rebuilding');
    run('npm', ['rebuild', 'better-sqlite3']);
  }
}
