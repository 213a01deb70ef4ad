// The QR OTP provider's CLI as a user runs it: the built binary (`node packages/qr-otp/dist/bin.js`)
// as a child process in a temporary folder, against a real SQLite file, with real sockets for
// `serve`. Each run is bounded by a timeout; every child is killed in afterAll.
import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { openStore } from '@securemfa/core';
import {
  killAllChildren,
  runCli,
  signalWhenListening,
  startServe,
  type CliResult,
  type ServeProcess,
} from '../helpers/e2e-cli.js';
import { parseOtpauthUri } from '../helpers/e2e-otp-tools.js';
import { http } from '../helpers/e2e-qr-host.js';

// tests/jest.config.js sets 60 s, but a project's testTimeout is ignored when jest runs from the
// repository root (multi-project): set it here so both ways of running give the same bound.
jest.setTimeout(60_000);

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '../../packages/qr-otp/dist/bin.js');
const CONFIG_NAME = 'SecureMfaOtpProvider.json';
const UNIT_NAME = 'securemfa-qr-otp.service';

let root: string;
/** The main node's folder (cwd of most runs). */
let main: string;
let configPath: string;
let dbPath: string;
let unitsDir: string;

const cli = (args: string[], cwd = main, timeoutMs = 30_000): Promise<CliResult> =>
  runCli(BIN, args, { cwd, timeoutMs });

/** Print a failed run fully: the assertion message then says why. */
const explain = (r: CliResult): string =>
  `exit ${r.code} signal ${r.signal}${r.timedOut ? ' (TIMED OUT)' : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function expectExit(r: CliResult, code: number): void {
  expect(r.timedOut).toBe(false);
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${explain(r)}`);
}

/** SIGTERM → the server closes and exits 0 within 10 s (the output is shown when it does not). */
async function expectCleanStop(server: ServeProcess): Promise<void> {
  const stopped = await server.stop('SIGTERM', 10_000);
  if (stopped.code !== 0 || stopped.signal !== null || stopped.ms >= 10_000) {
    throw new Error(
      `serve did not stop cleanly on SIGTERM: code ${stopped.code}, signal ${stopped.signal}, ${stopped.ms} ms\n--- stdout\n${server.stdout()}\n--- stderr\n${server.stderr()}`,
    );
  }
}

/**
 * Run checks against a started server, then require a clean SIGTERM stop. When a check fails the
 * server is stopped too, and the check's own error is what the test reports.
 */
async function withServer(server: ServeProcess, checks: () => Promise<void>): Promise<void> {
  try {
    await checks();
  } catch (err) {
    await server.stop('SIGKILL', 5_000);
    throw err;
  }
  await expectCleanStop(server);
}

/** The `FAIL`/`ok` line of a check report for a check name. */
const checkLine = (out: string, name: string): string | undefined =>
  out.split('\n').find((l) => new RegExp(`^(ok|FAIL|skip)\\s+${name}\\s`).test(l));

async function readJson(path: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
}

async function registration() {
  const store = await openStore({ kind: 'sqlite', path: dbPath, migrate: false });
  try {
    return await store.getRegistration('qr-otp');
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  if (!existsSync(BIN)) {
    throw new Error(
      `${BIN} does not exist: build first (npx turbo run build) — the CLI tests run the built binary`,
    );
  }
  root = await mkdtemp(join(tmpdir(), 'e2e-qr-cli-'));
  main = join(root, 'main');
  await mkdir(main);
  configPath = join(main, CONFIG_NAME);
  dbPath = join(main, 'data', 'otp.db');
  await mkdir(dirname(dbPath));
  unitsDir = join(root, 'units');
});

afterAll(async () => {
  killAllChildren();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe('securemfa-qr-otp CLI (built binary, real SQLite, real sockets)', () => {
  it('config init --out writes a 0600 sample with fresh keys; config check accepts it (exit 0) with secrets masked', async () => {
    const init = await cli(['config', 'init', '--out', CONFIG_NAME]);
    expectExit(init, 0);
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    const sample = await readJson(configPath);
    expect(sample.adapter_api_key!.length).toBeGreaterThanOrEqual(32);
    expect(sample.data_encryption).toBe('true');

    // listen_port must be 1–65535 (0 is refused by the schema), so the file keeps its port and
    // `serve --port 0` picks a free one below.
    sample.sqlite_path = dbPath;
    sample.company = 'E2E Contoso';
    sample.listen_host = '127.0.0.1';
    await writeFile(configPath, `${JSON.stringify(sample, null, 2)}\n`, { mode: 0o600 });

    // No -c: the manual's file name in the working directory.
    const check = await cli(['config', 'check']);
    expectExit(check, 0);
    const shown = JSON.parse(check.stdout) as Record<string, unknown>;
    expect(shown.sqlite_path).toBe(dbPath);
    expect(shown.ui_login_failures).toBeDefined();
    expect(check.stdout).not.toContain(sample.adapter_api_key);
    expect(check.stdout).not.toContain(sample.data_encryption_passphrase);
    expect(check.stderr).not.toContain(sample.adapter_api_key);
    expect(check.stderr).toMatch(/valid/);

    // listen_port 0 is a configuration error (exit 2) — which is why serve has --port.
    const zero = join(root, 'port0.json');
    await writeFile(zero, JSON.stringify({ ...sample, listen_port: '0' }));
    const z = await cli(['config', 'check', '-c', zero]);
    expectExit(z, 2);
    expect(z.stderr).toContain('listen_port');
  });

  it('verify before install → exit 1: the store does not exist yet, with the hint to run install', async () => {
    const r = await cli(['verify']);
    expectExit(r, 1);
    expect(checkLine(r.stdout, 'store')).toMatch(/^FAIL/);
    expect(r.stdout).toMatch(/hint: .*install/);
    expect(existsSync(dbPath)).toBe(false); // verify creates nothing
  });

  it('verify with a schema but no registration → exit 1 naming registration, hint: run install', async () => {
    // As if the database had been created by hand from sql-scripts/sqlite, install never run.
    const store = await openStore({ kind: 'sqlite', path: dbPath, migrate: true });
    await store.close();
    const r = await cli(['verify']);
    expectExit(r, 1);
    const line = checkLine(r.stdout, 'registration');
    expect(line).toMatch(/^FAIL\s+registration\s+qr-otp is not registered/);
    expect(r.stdout).toMatch(/hint: run `securemfa-qr-otp install` on the main node/);
    expect(checkLine(r.stdout, 'store')).toMatch(/^ok/);
    await rm(dbPath);
  });

  it('install --service-dir → exit 0: schema created, provider registered, unit written with `serve -c <abs config>`', async () => {
    const r = await cli(['install', '--service-dir', unitsDir]);
    expectExit(r, 0);
    expect(checkLine(r.stdout, 'store')).toMatch(/^ok/);
    expect(checkLine(r.stdout, 'registration')).toMatch(/^ok\s+registration\s+registered qr-otp/);
    expect(checkLine(r.stdout, 'service')).toMatch(/created/);
    const unit = await readFile(join(unitsDir, UNIT_NAME), 'utf8');
    expect(unit).toContain(`serve -c ${configPath}`);
    // The unit runs this Node and this binary (resolved), with the config's absolute path.
    expect(unit).toContain(
      `\nExecStart=${process.execPath} ${realpathSync(BIN)} serve -c ${configPath}\n`,
    );
    expect(unit).toContain(`WorkingDirectory=${main}`);
    expect(unit).toContain('[Install]');
    const reg = await registration();
    expect(reg).toMatchObject({ provider: 'qr-otp' });
    expect(reg!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('install again is idempotent: "already registered", unit "unchanged"', async () => {
    const before = await registration();
    const unitBefore = await stat(join(unitsDir, UNIT_NAME));
    const r = await cli(['install', '--service-dir', unitsDir]);
    expectExit(r, 0);
    expect(checkLine(r.stdout, 'registration')).toMatch(/already registered; config unchanged/);
    expect(checkLine(r.stdout, 'service')).toMatch(/unchanged/);
    const after = await registration();
    expect(after!.updated.getTime()).toBe(before!.updated.getTime());
    expect((await stat(join(unitsDir, UNIT_NAME))).mtimeMs).toBe(unitBefore.mtimeMs);
  });

  it('install --dry-run after a config change reports what would change and changes nothing', async () => {
    const original = await readFile(configPath, 'utf8');
    const changed = { ...(JSON.parse(original) as Record<string, string>), ui_login_failures: '7' };
    await writeFile(configPath, JSON.stringify(changed, null, 2));
    const before = await registration();
    const dryUnits = join(root, 'units-dry');
    try {
      const r = await cli(['install', '--dry-run', '--service-dir', dryUnits]);
      expectExit(r, 0);
      expect(checkLine(r.stdout, 'registration')).toMatch(/would re-register/);
      expect(checkLine(r.stdout, 'service')).toMatch(/would write/);
      expect(r.stderr).toContain('dry run: nothing was changed');
      expect(existsSync(dryUnits)).toBe(false);
      const after = await registration();
      expect(after).toEqual(before);
    } finally {
      await writeFile(configPath, original, { mode: 0o600 });
    }
  });

  it('verify after install → exit 0, every check ok', async () => {
    const r = await cli(['verify']);
    expectExit(r, 0);
    for (const name of ['config', 'store', 'encryption', 'registration', 'channel', 'host']) {
      expect(checkLine(r.stdout, name)).toMatch(/^ok/);
    }
    expect(r.stdout).not.toMatch(/^FAIL/m);
  });

  it('a second node with a different company: install --not-main-node → exit 1 naming the registration mismatch; unit not written', async () => {
    const node2 = join(root, 'node2');
    await mkdir(node2);
    const cfg = await readJson(configPath);
    await writeFile(join(node2, CONFIG_NAME), JSON.stringify({ ...cfg, company: 'Someone Else' }));
    const units2 = join(node2, 'units');
    const r = await cli(['install', '--not-main-node', '--service-dir', units2], node2);
    expectExit(r, 1);
    expect(checkLine(r.stdout, 'registration')).toMatch(
      /^FAIL\s+registration\s+this node's config differs/,
    );
    expect(r.stdout).toMatch(/hint: copy the main node's SecureMfaOtpProvider\.json/);
    expect(checkLine(r.stdout, 'service')).toMatch(/^skip/);
    expect(existsSync(units2)).toBe(false);

    // Control: the same config with only a node-local key changed (listen_port) is accepted.
    await writeFile(join(node2, CONFIG_NAME), JSON.stringify({ ...cfg, listen_port: '9443' }));
    const ok = await cli(['install', '--not-main-node', '--service-dir', units2], node2);
    expectExit(ok, 0);
    expect(checkLine(ok.stdout, 'registration')).toMatch(/^ok\s+registration\s+.*config matches/);
    expect(await readFile(join(units2, UNIT_NAME), 'utf8')).toContain(
      `serve -c ${join(node2, CONFIG_NAME)}`,
    );
  });

  it('serve --port 0 prints its URL, answers /healthz, /readyz and the adapter API; SIGTERM → exit 0 within 10 s', async () => {
    const cfg = await readJson(configPath);
    const server = await startServe(BIN, ['serve', '--port', '0'], { cwd: main });
    await withServer(server, async () => {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.url).not.toMatch(/:0$/);
      const h = await http(`${server.url}/healthz`);
      expect(h.status).toBe(200);
      expect(h.json).toEqual({ status: 'ok' });
      const ready = await http(`${server.url}/readyz`);
      expect(ready.json).toEqual({ status: 'ready', store: 'sqlite' });
      const begin = await http(`${server.url}/adapter/begin`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${cfg.adapter_api_key}`,
        },
        body: JSON.stringify({ upn: 'cli-user@contoso.test' }),
      });
      expect(begin.status).toBe(200);
      expect(begin.json.status).toBe('enroll');
      expect(parseOtpauthUri(begin.json.presentation.enrollment.otpauthUri).issuer).toBe(
        'E2E Contoso',
      );
      // The key never reaches the process output.
      expect(server.stdout() + server.stderr()).not.toContain(cfg.adapter_api_key);
    });
    expect(server.stderr()).toContain('SIGTERM: stopping');
    // The user begun above is in the main node's store.
    const store = await openStore({ kind: 'sqlite', path: dbPath, migrate: false });
    try {
      expect(await store.get('cli-user@contoso.test')).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('serve --demo --port 0 in an empty folder (no config file) prints a /demo URL; GET /demo is a 200 HTML page', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty);
    const server = await startServe(BIN, ['serve', '--demo', '--port', '0'], { cwd: empty });
    await withServer(server, async () => {
      // The banner's last line: the demo line is printed before it.
      await server.waitForStdout(/stop:/);
      const m = /demo:\s+open (http:\/\/127\.0\.0\.1:\d+\/demo)\b/.exec(server.stdout());
      expect(m).not.toBeNull();
      expect(m![1]).toBe(`${server.url}/demo`);
      const page = await http(m![1]!);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.text).toMatch(/<form method="post" action="\/demo\/start">/);
      // The demo users named on the console are the ones the page offers.
      const users = /\(users: ([^)]*)\)/.exec(server.stdout());
      expect(users).not.toBeNull();
      expect(users![1]!.trim()).not.toBe('');
      for (const u of users![1]!.split(',').map((s) => s.trim())) expect(page.text).toContain(u);
      expect(server.stderr()).toMatch(/using the built-in defaults/);
    });
  });

  it('SIGTERM as soon as serve prints "listening on" → graceful stop, exit 0 (10 times)', async () => {
    const folder = join(root, 'early-stop');
    await mkdir(folder);
    for (let i = 0; i < 10; i += 1) {
      const r = await signalWhenListening(BIN, ['serve', '--demo', '--port', '0'], { cwd: folder });
      if (r.code !== 0 || r.signal !== null) {
        throw new Error(
          `run ${i + 1}: SIGTERM right after "listening on" ended serve with code ${r.code}, signal ${r.signal} (not a graceful stop)\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
        );
      }
      expect(r.stderr).toContain('SIGTERM: stopping');
    }
  });

  it('a bad config → exit 2 with one error line naming the key and value', async () => {
    const bad = join(root, 'bad.json');
    await writeFile(bad, JSON.stringify({ auth_mode: 'SQLITE', ui_login_failures: 'many' }));
    for (const args of [
      ['config', 'check', '-c', bad],
      ['verify', '-c', bad],
      ['serve', '-c', bad, '--port', '0'],
      ['install', '-c', bad, '--service-dir', join(root, 'units-bad')],
    ]) {
      const r = await cli(args);
      expectExit(r, 2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('ui_login_failures');
      expect(errors[0]).toContain('many');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    }
    expect(existsSync(join(root, 'units-bad'))).toBe(false);

    const syntax = join(root, 'syntax.json');
    await writeFile(syntax, '{\n  "company": "x",\n  "auth_mode": SQLITE\n}\n');
    const s = await cli(['config', 'check', '-c', syntax]);
    expectExit(s, 2);
    const errors = s.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/syntax\.json:3:\d+: invalid JSON/); // line and column

    const missing = await cli(['verify', '-c', join(root, 'nope.json')]);
    expectExit(missing, 2);
    expect(missing.stderr).toMatch(/not found/);
  });

  it('a totp_api_endpoint that cannot take the otpauth URI → exit 2 from config check, verify, serve and install, one error line without the credentials or query; a good one passes config check', async () => {
    const withEndpoint = async (name: string, endpoint: string): Promise<string> => {
      const file = join(root, name);
      const json = {
        auth_mode: 'SQLITE',
        sqlite_path: join(root, `${name}.db`),
        listen_host: '127.0.0.1',
        totp_customization: 'true',
        totp_api_endpoint: endpoint,
      };
      await writeFile(file, JSON.stringify(json));
      return file;
    };
    // The password and the service key ("Zx9…") must never be printed.
    const bad = await withEndpoint(
      'endpoint-credentials.json',
      'https://user:Zx9pass@qr.example.test/qr?key=Zx9key&data=',
    );
    for (const args of [
      ['config', 'check', '-c', bad],
      ['verify', '-c', bad],
      ['serve', '-c', bad, '--port', '0'],
      ['install', '-c', bad, '--service-dir', join(root, 'units-endpoint')],
    ]) {
      const r = await cli(args);
      expectExit(r, 2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toEqual([
        expect.stringMatching(
          /^error: .*endpoint-credentials\.json: totp_api_endpoint: got "https:\/\/…@qr\.example\.test\/…", which must not contain a user name or password: .*data=/,
        ),
      ]);
      expect(`${r.stdout}${r.stderr}`).not.toContain('Zx9');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    }
    expect(existsSync(join(root, 'units-endpoint'))).toBe(false);

    for (const [name, endpoint, reason] of [
      [
        'endpoint-host.json',
        'https://qr.example.test',
        /got "https:\/\/qr\.example\.test", which .*not in the host name/,
      ],
      [
        'endpoint-fragment.json',
        'https://qr.example.test/?key=Zx9key#data=',
        /must not contain "#"/,
      ],
    ] as const) {
      const r = await cli(['config', 'check', '-c', await withEndpoint(name, endpoint)]);
      expectExit(r, 2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`${name}: totp_api_endpoint: `);
      expect(errors[0]).toMatch(reason);
      expect(r.stderr).not.toContain('Zx9');
    }

    const goodEndpoint = 'https://qr.example.test/v1/create-qr-code/?size=150x150&data=';
    const good = await cli([
      'config',
      'check',
      '-c',
      await withEndpoint('endpoint-good.json', goodEndpoint),
    ]);
    expectExit(good, 0);
    expect((JSON.parse(good.stdout) as Record<string, unknown>).totp_api_endpoint).toBe(
      goodEndpoint,
    );
    expect(good.stderr).toMatch(/warning: .*totp_api_endpoint: sends every enrolment secret/);
    expect(good.stderr).not.toMatch(/^error:/m);
  });

  it('uninstall --service-dir removes the unit and the registration (exit 0); again → exit 0, nothing to remove', async () => {
    const r = await cli(['uninstall', '--service-dir', unitsDir]);
    expectExit(r, 0);
    expect(checkLine(r.stdout, 'service')).toMatch(/^ok\s+service\s+removed/);
    expect(checkLine(r.stdout, 'registration')).toMatch(/unregistered qr-otp/);
    expect(existsSync(join(unitsDir, UNIT_NAME))).toBe(false);
    expect(await registration()).toBeUndefined();
    // User data stays.
    expect(existsSync(dbPath)).toBe(true);

    const again = await cli(['uninstall', '--service-dir', unitsDir]);
    expectExit(again, 0);
    expect(checkLine(again.stdout, 'service')).toMatch(/no unit at/);
    expect(checkLine(again.stdout, 'registration')).toMatch(/was not registered/);
  });

  it('a service folder that cannot be written → install exit 1 naming the service check and the folder', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions: use a path under a regular file instead (ENOTDIR).
      const file = join(root, 'not-a-dir');
      await writeFile(file, 'x');
      const r = await cli(['install', '--service-dir', join(file, 'units')]);
      expectExit(r, 1);
      expect(checkLine(r.stdout, 'service')).toMatch(/^FAIL\s+service\s+cannot write/);
      return;
    }
    const locked = join(root, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    const r = await cli(['install', '--service-dir', join(locked, 'units')]);
    expectExit(r, 1);
    expect(checkLine(r.stdout, 'service')).toMatch(/^FAIL\s+service\s+cannot write/);
    expect(r.stdout).toMatch(/hint: run install as root, or pass --service-dir/);
  });
});
