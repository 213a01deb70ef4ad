/**
 * `securemfa-tools` as a real program (the built dist/bin.js as a child process, on a SQLite
 * store): help and exit codes, configuration errors, how the configuration file is found, and
 * terminal behaviour — confirmations and progress bars on a real pseudo-terminal (util-linux
 * `script`), none of either when stdin/stderr are pipes.
 */
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateSecret } from '@securemfa/core';
import {
  CONFIG_NAME,
  openTestStore,
  removeTestDirs,
  sqliteBackend,
  testCipher,
  type TestConfig,
} from './helpers/backends.js';
import { BIN, childEnv, killChildren, spawnTools, tools } from './helpers/run-tools.js';

jest.setTimeout(30_000);

const backend = sqliteBackend();
let cfg: TestConfig;
const upns = ['alice@contoso.test', 'bob@contoso.test', 'carol@contoso.test'];

beforeAll(async () => {
  cfg = await backend.config();
  const store = await openTestStore(cfg);
  const cipher = testCipher();
  try {
    for (const upn of upns) await store.enrol(upn, cipher.encrypt(generateSecret()), new Date());
  } finally {
    await store.close();
  }
});
afterEach(() => killChildren());
afterAll(async () => {
  await removeTestDirs();
});

/** Run a command line on a pseudo-terminal, feeding `input`; returns what the terminal showed. */
function onTerminal(
  args: string[],
  input: string,
  cwd: string,
): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, BIN, ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = execFile(
      'script',
      ['-qfec', quoted, '/dev/null'],
      { cwd, env: childEnv(), timeout: 20_000, killSignal: 'SIGKILL' },
      (err, stdout) => {
        if (err !== null && typeof (err as { code?: unknown }).code !== 'number') reject(err);
        else
          resolve({
            code: err === null ? 0 : ((err as { code: number }).code ?? null),
            screen: stdout,
          });
      },
    );
    child.stdin!.end(input);
  });
}

describe('help and exit codes', () => {
  it('--help lists the commands and the exit codes (exit 0); no arguments print help (exit 2)', async () => {
    const help = await spawnTools(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['users', 'store', 'ad-schema']) expect(help.stdout).toContain(c);
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 configuration or usage error.');
    const usersHelp = await spawnTools(['users', '--help']);
    for (const c of [
      'list',
      'show',
      'new',
      'disable',
      'enable',
      'unlock',
      'reset',
      'delete',
      'export',
      'import',
    ]) {
      expect(usersHelp.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    }
    const none = await spawnTools([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: securemfa-tools');
  });

  it('usage errors are exit 2: unknown command, missing argument, unknown option, bad --provider', async () => {
    expect((await spawnTools(['users', 'frobnicate'])).code).toBe(2);
    const missing = await spawnTools(['users', 'show', '-c', cfg.file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'upn'");
    expect((await spawnTools(['users', 'list', '--colour', '-c', cfg.file])).code).toBe(2);
    const provider = await spawnTools(['users', 'list', '--provider', 'sms-otp', '-c', cfg.file]);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain('Allowed choices are email-otp, api-otp, qr-otp');
  });
});

describe('the configuration file', () => {
  it('a JSON syntax error names the line and column (exit 2); a missing file is exit 2', async () => {
    const broken = join(cfg.dir, 'Broken.json');
    await writeFile(broken, '{\n  "auth_mode": "SQLITE",\n  "sqlite_path": ./otp.db\n}\n');
    const r = await spawnTools(['users', 'list', '--provider', 'qr-otp', '-c', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Broken\.json:3:\d+: invalid JSON/);
    const gone = await spawnTools(['users', 'list', '-c', join(cfg.dir, 'nope.json')]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('configuration file not found');
  });

  it('without -c: the one provider file in the folder, else SECUREMFA_CONFIG, else a clear error (exit 2)', async () => {
    const here = await spawnTools(['users', 'list', '--json'], { cwd: cfg.dir });
    expect(here.code).toBe(0);
    expect((JSON.parse(here.stdout) as { upn: string }[]).map((u) => u.upn)).toEqual(upns);
    const viaEnv = await spawnTools(['users', 'list', '--json'], {
      env: { SECUREMFA_CONFIG: cfg.file },
    });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toHaveLength(3);
    const empty = await spawnTools(['users', 'list'], { cwd: '/' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(
      'error: no configuration file: none of SecureMfaEmailOtpProvider.json',
    );
    expect(empty.stderr).toContain('hint: pass -c FILE');
  });

  it("tells the provider from the file's keys when its name does not: an e-mail provider file loads without warnings", async () => {
    const email = join(cfg.dir, 'mail-node.json');
    await writeFile(
      email,
      JSON.stringify({
        ...cfg.keys,
        smtp_server: 'smtp.contoso.test',
        smtp_port: '587',
        smtp_mailfrom: 'mfa@contoso.test',
      }),
    );
    const r = await spawnTools(['users', 'list', '--json', '-c', email], { cwd: cfg.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expect(JSON.parse(r.stdout)).toHaveLength(3);
  });
});

describe('terminals and pipes', () => {
  it('on a pipe: no progress bar, stdout holds only the JSON', async () => {
    const out = join(cfg.dir, 'pipe.jsonl');
    const r = await spawnTools(['users', 'export', '--out', out, '--json', '-c', cfg.file]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('export [');
    expect(JSON.parse(r.stdout)).toMatchObject({ exported: 3, decrypted: false });
    expect((await readFile(out, 'utf8')).trimEnd().split('\n')).toHaveLength(3);
  });

  it('on a terminal: export draws a progress bar up to 100%', async () => {
    const out = join(cfg.dir, 'tty.jsonl');
    const r = await onTerminal(['users', 'export', '--out', out, '-c', cfg.file], '', cfg.dir);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/\rexport \[#+\] 100% 3\/3/);
    expect(r.screen).toContain('exported 3 records');
  });

  it('on a terminal: delete asks, and "y" deletes; "n" keeps the record (exit 1)', async () => {
    const copy = join(cfg.dir, 'tty-store');
    await import('node:fs/promises').then((fs) => fs.mkdir(copy));
    await copyFile(cfg.file, join(copy, CONFIG_NAME));
    await copyFile(join(cfg.dir, 'otp.db'), join(copy, 'otp.db'));
    const no = await onTerminal(['users', 'delete', 'bob@contoso.test'], 'n\n', copy);
    expect(no.screen).toContain(
      'delete the OTP record of bob@contoso.test (they must enrol again)? [y/N]',
    );
    expect(no.screen).toContain('aborted: nothing was changed');
    expect(no.code).toBe(1);
    const yes = await onTerminal(['users', 'delete', 'bob@contoso.test'], 'y\n', copy);
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain('deleted the OTP record of bob@contoso.test');
    const left = await tools(['users', 'list', '--json'], { cwd: copy });
    expect((JSON.parse(left.stdout) as { upn: string }[]).map((u) => u.upn)).toEqual([
      'alice@contoso.test',
      'carol@contoso.test',
    ]);
  });

  it('in-process with a terminal stderr: rekey shows its progress', async () => {
    const r = await tools(['store', 'rekey', '--yes', '-c', cfg.file], { stderrIsTty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\rrekey \[#+\] 100% 3\/3/);
  });
});
