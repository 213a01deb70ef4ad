// The securemfa-win-otp CLI: install with the seed's parameters as kebab-case flags (secrets
// from a file or standard input), the config file readable by its owner only, the PAM block for
// the right service, status (sspr_url defaulting to the endpoint's host), uninstall, and the exit
// codes — 0 accepted/done, 1 rejected/failed, 2 usage or configuration error. Most runs are
// in-process (the same program the bin runs); a few run the built bin as a real child process.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { runCli } from '../helpers/e2e-cli.js';
import { runAgent } from '../helpers/win-portal-host.js';
import { closedPortBase } from '../helpers/win-relay.js';

jest.setTimeout(60_000);

const BIN = fileURLToPath(new URL('../../packages/win-otp/dist/bin.js', import.meta.url));
const PASSPHRASE = 'Cli-Suite-Passphrase-7f3e9a';
const HEADER = 'cli-suite-header-value-0c1d2e3f4a5b';

let dir: string;
let pamDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-win-cli-'));
  pamDir = join(dir, 'pam.d');
  await writeFile(join(dir, 'pass.txt'), `${PASSPHRASE}\n`, { mode: 0o600 });
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const seedFlags = [
  '--anchordnsname',
  'adatum.labnet',
  '--api-endpoint',
  'https://mfa.adatum.labnet/',
  '--api-timeout',
  '4000',
  '--rdp-only',
  '--totp-offline-secret-valid-days',
  '7',
  '--totp-offline-ui-login-failures',
  '4',
  '--totp-offline-ui-lockout-minutes',
  '20',
  '--api-proxy-enable',
  'false',
  '--api-proxy-server',
  'proxy.adatum.labnet',
  '--api-proxy-port',
  '3128',
  '--verboselog',
  'false',
];

describe('install', () => {
  const file = () => join(dir, 'a', 'SecureMfaWinOtp.json');

  it('writes every seed parameter (mode 0600), secrets from a file and from standard input', async () => {
    const r = await runAgent(
      [
        'install',
        ...seedFlags,
        '--data-encryption-passphrase-file',
        join(dir, 'pass.txt'),
        '--api-headers-value-file',
        '-',
        '--pam-dir',
        pamDir,
        '--config-file',
        file(),
      ],
      { stdin: `${HEADER}\n` },
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    const json = JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({
      anchordnsname: 'adatum.labnet',
      api_endpoint: 'https://mfa.adatum.labnet/',
      api_timeout: 4000,
      sspr_url: '',
      RDPonly: true,
      totp_offline_secret_valid_days: 7,
      totp_offline_ui_login_failures: 4,
      totp_offline_ui_lockout_minutes: 20,
      data_encryption_passphrase: PASSPHRASE,
      api_headers_value: HEADER,
      api_proxy_enable: false,
      api_proxy_server: 'proxy.adatum.labnet',
      api_proxy_port: 3128,
      verboselog: false,
    });
    expect(r.stdout).toContain(`wrote ${file()} (mode 0600)`);
    expect(r.stdout).toContain('sspr_url  https://mfa.adatum.labnet/');
    // RDPonly → the block is printed for sshd, nothing is written to PAM.
    expect(r.stdout).toContain(
      `PAM: add these lines to ${join(pamDir, 'sshd')} (remote sessions only)`,
    );
    expect(r.stdout).toMatch(
      /auth required pam_exec\.so expose_authtok quiet stdout \S+ \S+bin\.js pam --config-file \S+SecureMfaWinOtp\.json/,
    );
    await expect(readdir(pamDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(r.stdout).not.toContain(PASSPHRASE);
    expect(r.stdout).not.toContain(HEADER);
  });

  it('re-running install changes only what is given; all sessions → common-auth', async () => {
    const r = await runAgent([
      'install',
      '--api-timeout',
      '2500',
      '--rdp-only',
      'false',
      '--pam-dir',
      pamDir,
      '-c',
      file(),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(', updated');
    expect(r.stdout).toContain(`add these lines to ${join(pamDir, 'common-auth')} (all logons)`);
    const json = JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({
      api_timeout: 2500,
      RDPonly: false,
      data_encryption_passphrase: PASSPHRASE,
      api_headers_value: HEADER,
      totp_offline_ui_lockout_minutes: 20,
    });
  });

  it('a secret on the command line works but warns that the process list shows it', async () => {
    const f = join(dir, 'argv.json');
    const r = await runAgent([
      'install',
      '--api-endpoint',
      'https://mfa.adatum.labnet',
      '--data-encryption-passphrase',
      PASSPHRASE,
      '--api-headers-value',
      HEADER,
      '-c',
      f,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: --data-encryption-passphrase on the command line is visible in the process list: prefer --data-encryption-passphrase-file FILE (or - for standard input)',
    );
    expect(r.stderr).toContain('warning: --api-headers-value on the command line');
    expect(r.stdout + r.stderr).not.toContain(PASSPHRASE);
  });

  it('--dry-run prints the config with secrets masked and writes nothing', async () => {
    const f = join(dir, 'dry.json');
    const r = await runAgent(
      [
        'install',
        '--api-endpoint',
        'https://mfa.adatum.labnet',
        '--data-encryption-passphrase-file',
        join(dir, 'pass.txt'),
        '--api-headers-value-file',
        '-',
        '--dry-run',
        '-c',
        f,
      ],
      { stdin: HEADER },
    );
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout.slice(0, r.stdout.indexOf('\n}\n') + 2)) as Record<
      string,
      unknown
    >;
    expect(printed.data_encryption_passphrase).toBe('********');
    expect(printed.api_headers_value).toBe('********');
    expect(r.stdout).not.toContain(PASSPHRASE);
    await expect(stat(f)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('exit 2 naming every missing or bad setting', async () => {
    const f = join(dir, 'bad.json');
    const missing = await runAgent(['install', '-c', f]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('api_endpoint is not set: install with --api-endpoint');
    expect(missing.stderr).toContain(
      'data_encryption_passphrase is not set: install with --data-encryption-passphrase',
    );
    expect(missing.stderr).toContain(
      'api_headers_value is not set: install with --api-headers-value',
    );

    const bad = await runAgent([
      'install',
      '--api-endpoint',
      'ftp://x',
      '--api-timeout',
      'soon',
      '--api-proxy-enable',
      '--data-encryption-passphrase-file',
      join(dir, 'pass.txt'),
      '--api-headers-value-file',
      join(dir, 'pass.txt'),
      '-c',
      f,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'api_endpoint: got "ftp://x", expected an absolute https:// or http:// URL, or ""',
    );
    expect(bad.stderr).toContain('api_timeout: got "soon", expected an integer 100–120000 (ms)');
    expect(bad.stderr).toContain('api_proxy_server is empty, but api_proxy_enable is true');
    await expect(stat(f)).rejects.toMatchObject({ code: 'ENOENT' });

    const twoStdin = await runAgent([
      'install',
      '--data-encryption-passphrase-file',
      '-',
      '--api-headers-value-file',
      '-',
      '-c',
      f,
    ]);
    expect(twoStdin.code).toBe(2);
    expect(twoStdin.stderr).toContain('both read standard input');
  });

  it('--pam-install adds the block to an existing service before its first auth line, and uninstall takes only it out', async () => {
    const f = join(dir, 'pam.json');
    const sshd = join(pamDir, 'sshd');
    const original = '# sshd\n@include common-auth\naccount required pam_nologin.so\n';
    await rm(pamDir, { recursive: true, force: true });
    await mkdir(pamDir, { recursive: true });
    await writeFile(sshd, original);
    const r = await runAgent([
      'install',
      '--api-endpoint',
      'https://mfa.adatum.labnet',
      '--data-encryption-passphrase-file',
      join(dir, 'pass.txt'),
      '--api-headers-value-file',
      join(dir, 'pass.txt'),
      '--rdp-only',
      '--pam-install',
      '--pam-dir',
      pamDir,
      '-c',
      f,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`pam       updated ${sshd} (service sshd)`);
    // The password module after the block would get the code as the password: said plainly.
    expect(r.stderr).toContain(
      `warning: ${sshd}: pam_unix reuses the first prompt’s answer (the code) as the password`,
    );
    const lines = (await readFile(sshd, 'utf8')).split('\n');
    expect(lines[0]).toBe('# sshd');
    expect(lines[1]).toMatch(/^# BEGIN securemfa-win-otp/);
    expect(lines[2]).toMatch(/^auth required pam_exec\.so expose_authtok /);
    expect(lines[3]).toBe('# END securemfa-win-otp');
    expect(lines[4]).toBe('@include common-auth');
    // Installing again does not add a second block.
    await runAgent(['install', '--pam-install', '--pam-dir', pamDir, '-c', f]);
    expect((await readFile(sshd, 'utf8')).match(/# BEGIN securemfa-win-otp/g)).toHaveLength(1);
    const status = await runAgent(['status', '-c', f]);
    expect(status.stdout).toMatch(new RegExp(`pam\\s+sshd \\(${sshd.replace(/\//g, '\\/')}\\)`));
    const u = await runAgent(['uninstall', '-c', f]);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`removed the agent’s block from ${sshd}`);
    expect(await readFile(sshd, 'utf8')).toBe(original);
    await expect(stat(f)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('status', () => {
  it('reports the portal, sspr_url (default: the endpoint’s host), RDPonly, offline settings and the cache; never a secret', async () => {
    const f = join(dir, 'a', 'SecureMfaWinOtp.json');
    const r = await runAgent(['status', '-c', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config\s+.*SecureMfaWinOtp\.json$/m);
    expect(r.stdout).toMatch(
      /^api_endpoint\s+https:\/\/mfa\.adatum\.labnet\/ \(POST https:\/\/mfa\.adatum\.labnet\/api\/v1\/win\/validate\)$/m,
    );
    expect(r.stdout).toMatch(/^sspr_url\s+https:\/\/mfa\.adatum\.labnet\/$/m);
    expect(r.stdout).toMatch(/^RDPonly\s+false \(all sessions\)$/m);
    expect(r.stdout).toMatch(
      /^offline\s+enabled: 7 day\(s\); lockout after 4 failure\(s\) for 20 minute\(s\)$/m,
    );
    expect(r.stdout).toMatch(/^cache\s+.*SecureMfaWinOtp\.offline: no synced users$/m);
    expect(r.stdout).not.toContain(PASSPHRASE);
    expect(r.stdout).not.toContain(HEADER);
    const j = await runAgent(['status', '--json', '-c', f]);
    expect(JSON.parse(j.stdout)).toMatchObject({
      ssprUrl: 'https://mfa.adatum.labnet/',
      rdpOnly: false,
      cache: { state: 'absent', users: [] },
    });
  });

  it('uses $SECUREMFA_WIN_OTP_CONFIG when --config-file is not given; a set sspr_url wins', async () => {
    const f = join(dir, 'a', 'SecureMfaWinOtp.json');
    await runAgent(['install', '--sspr-url', 'https://sspr.adatum.labnet/reset', '-c', f]);
    const r = await runAgent(['status'], { env: { SECUREMFA_WIN_OTP_CONFIG: f } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sspr_url\s+https:\/\/sspr\.adatum\.labnet\/reset$/m);
  });
});

describe('exit codes and usage errors', () => {
  it('2: missing --user, no code, a missing config, broken JSON (line and column), a bad user name, pam outside PAM', async () => {
    const f = join(dir, 'a', 'SecureMfaWinOtp.json');
    const noUser = await runAgent(['validate', '--code', '123456', '-c', f]);
    expect([noUser.code, noUser.stderr]).toEqual([
      2,
      expect.stringContaining("required option '--user <name>' not specified"),
    ]);
    const noCode = await runAgent(['validate', '--user', 'alice', '-c', f], { stdin: '' });
    expect([noCode.code, noCode.stderr]).toEqual([
      2,
      expect.stringContaining('error: no code given'),
    ]);
    const missing = await runAgent([
      'validate',
      '--user',
      'a',
      '--code',
      '1',
      '-c',
      join(dir, 'none.json'),
    ]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining('none.json: no such config file'),
    ]);
    expect(missing.stderr).toContain('hint: run securemfa-win-otp install');
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{\n  "api_endpoint": "https://x",\n  oops\n}\n');
    const syntax = await runAgent(['status', '-c', broken]);
    expect([syntax.code, syntax.stderr]).toEqual([
      2,
      expect.stringContaining('broken.json: not valid JSON at line 3, column 3'),
    ]);
    const badUser = await runAgent(['validate', '--user', '@', '--code', '123456', '-c', f]);
    expect([badUser.code, badUser.stderr]).toEqual([
      2,
      expect.stringContaining('--user: "@" is not a user name'),
    ]);
    const pam = await runAgent(['pam', '-c', f], { stdin: '123456' });
    expect([pam.code, pam.stderr]).toEqual([
      2,
      expect.stringContaining('PAM_USER is not set: this command is run by pam_exec'),
    ]);
    const none = await runAgent([]);
    expect(none.code).toBe(2);
  });

  it('an unknown key is a warning with a did-you-mean, not an error', async () => {
    const f = join(dir, 'a', 'SecureMfaWinOtp.json');
    const json = JSON.parse(await readFile(f, 'utf8')) as Record<string, unknown>;
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ ...json, api_timout: '5000' }), { mode: 0o600 });
    const r = await runAgent(['status', '-c', typo]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('unknown key "api_timout" (ignored); did you mean "api_timeout"?');
  });

  it('a config readable by others is used, with a warning', async () => {
    const f = join(dir, 'a', 'SecureMfaWinOtp.json');
    const open = join(dir, 'open.json');
    await writeFile(open, await readFile(f, 'utf8'), { mode: 0o644 });
    const r = await runAgent(['status', '-c', open]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${open} is readable by other users: chmod 600 ${open}`);
  });
});

describe('the built bin as a child process', () => {
  it('--version, and validate against a portal that is down with offline off: exit 1 within api_timeout', async () => {
    const version = await runCli(BIN, ['--version'], { cwd: dir });
    expect([version.code, version.stdout.trim()]).toEqual([
      0,
      expect.stringMatching(/^\d+\.\d+\.\d+/),
    ]);
    const f = join(dir, 'child.json');
    const install = await runCli(
      BIN,
      [
        'install',
        '--api-endpoint',
        await closedPortBase(),
        '--api-timeout',
        '1000',
        '--data-encryption-passphrase-file',
        join(dir, 'pass.txt'),
        '--api-headers-value-file',
        join(dir, 'pass.txt'),
        '--log-file',
        'child.log',
        '-c',
        f,
      ],
      { cwd: dir },
    );
    expect(install.code).toBe(0);
    const r = await runCli(BIN, ['validate', '--user', 'alice', '--code', '123456', '-c', f], {
      cwd: dir,
      timeoutMs: 10_000,
    });
    expect([r.code, r.timedOut, r.stdout]).toEqual([
      1,
      false,
      'rejected (none): alice: unreachable: the portal is unreachable and offline logons are disabled\n',
    ]);
    const log = await readFile(join(dir, 'child.log'), 'utf8');
    expect(log).toContain('"eventId":5553');
    expect(log).toContain('"eventId":5550');
    expect(log).not.toContain(PASSPHRASE);
  });
});
