// Linux PAM end to end: the agent's own `install --pam-install` (a real child process of the
// built bin) adds its pam_exec block to a test service in /etc/pam.d; `pamtester` authenticates
// through it — pam_exec runs `securemfa-win-otp pam` with PAM_USER and the typed code on stdin
// (expose_authtok), which asks the running portal. A correct code authenticates, a wrong one
// fails with the self-service password link; RDPonly asks only remote sessions. `uninstall`
// removes the service file again (afterAll makes sure).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { runCli } from '../helpers/e2e-cli.js';
import { oathtoolTotp, requireTool, safeStepNow, wrongCode } from '../helpers/e2e-otp-tools.js';
import { pamtester, requirePamtester, uniquePamService } from '../helpers/win-pam.js';
import { enrolUser, startWinPortal, type WinPortal } from '../helpers/win-portal-host.js';

jest.setTimeout(60_000);

const BIN = fileURLToPath(new URL('../../packages/win-otp/dist/bin.js', import.meta.url));
const serviceAll = uniquePamService('all');
const serviceRemote = uniquePamService('rdp');
const pamFiles = [serviceAll, serviceRemote].map((s) => join('/etc/pam.d', s));

let portal: WinPortal;
let dir: string;
let secret: string;

async function install(configFile: string, service: string, extra: string[] = []) {
  return runCli(
    BIN,
    [
      'install',
      '--config-file',
      configFile,
      '--api-endpoint',
      portal.node.base,
      '--anchordnsname',
      'adatum.test',
      '--sspr-url',
      'https://sspr.adatum.test/reset',
      '--data-encryption-passphrase-file',
      join(dir, 'passphrase.txt'),
      '--api-headers-value-file',
      join(dir, 'header.txt'),
      '--log-file',
      `${service}.log`,
      '--pam-install',
      '--pam-service',
      service,
      ...extra,
    ],
    { cwd: dir },
  );
}

beforeAll(async () => {
  requirePamtester();
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'e2e-win-pam-'));
  portal = await startWinPortal({ dir });
  await writeFile(join(dir, 'passphrase.txt'), `${portal.secrets.passphrase}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'header.txt'), `${portal.secrets.apiHeadersValue}\n`, { mode: 0o600 });
  secret = await enrolUser(portal, 'hank@adatum.test');
});

afterAll(async () => {
  for (const f of pamFiles) await rm(f, { force: true });
  await portal?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('pam_exec → securemfa-win-otp pam (all sessions)', () => {
  const configFile = () => join(dir, 'agent-all.json');

  it('install --pam-install writes the config (0600) and the service file with the pam_exec line', async () => {
    const r = await install(configFile(), serviceAll);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `pam       created /etc/pam.d/${serviceAll} (service ${serviceAll})`,
    );
    expect((await stat(configFile())).mode & 0o777).toBe(0o600);
    const text = await readFile(join('/etc/pam.d', serviceAll), 'utf8');
    expect(text).toBe(
      [
        '# BEGIN securemfa-win-otp (managed by securemfa-win-otp install/uninstall)',
        `auth required pam_exec.so expose_authtok quiet stdout ${process.execPath} ${BIN} pam --config-file ${configFile()}`,
        '# END securemfa-win-otp',
        '',
      ].join('\n'),
    );
    // The secrets came from files: never on the command line, never printed.
    expect(r.stdout + r.stderr).not.toContain(portal.secrets.passphrase);
    expect(r.stderr).not.toContain('visible in the process list');
  });

  it('the code the phone shows authenticates; the same code again and a wrong code fail with the SSPR link', async () => {
    const epoch = await safeStepNow(30, 6);
    const code = await oathtoolTotp(secret, epoch);
    const ok = await pamtester(serviceAll, 'hank', code);
    expect([ok.code, ok.output]).toEqual([
      0,
      expect.stringContaining('successfully authenticated'),
    ]);

    const reused = await pamtester(serviceAll, 'hank', code);
    expect(reused.code).not.toBe(0);
    expect(reused.output).toContain(
      'SecureMFA: the code was not accepted: the code was used already',
    );

    const wrong = await pamtester(serviceAll, 'hank', await wrongCode(secret, epoch, 5));
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain('SecureMFA: the code was not accepted: the code is not valid.');
    expect(wrong.output).toContain('Change or reset your password: https://sspr.adatum.test/reset');
    // pam_exec turns any non-zero exit into PAM_SYSTEM_ERR: the logon fails either way.
    expect(wrong.output).toMatch(/pamtester: (System error|Authentication failure)/);
    // Operator warnings (http:// endpoint) go to the agent's log, not to the logon prompt.
    expect(wrong.output).not.toContain('warning:');

    const log = await readFile(join(dir, `${serviceAll}.log`), 'utf8');
    const events = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventId?: number; reason?: string })
      .filter((e) => e.eventId === 5556 || e.eventId === 5557)
      .map((e) => [e.eventId, e.reason]);
    expect(events).toEqual([
      [5556, undefined],
      [5557, 'reused_code'],
      [5557, 'invalid_code'],
    ]);
    expect(log).not.toContain(`"${code}"`);
  });
});

describe('RDPonly: only remote sessions are asked for a code', () => {
  const configFile = () => join(dir, 'agent-rdp.json');

  it('a local session passes without a code; a remote one (PAM_RHOST) needs the right code', async () => {
    const r = await install(configFile(), serviceRemote, ['--rdp-only']);
    expect(r.code).toBe(0);
    const epoch = await safeStepNow(30, 6);
    const local = await pamtester(serviceRemote, 'hank', 'not-a-code');
    expect(local.code).toBe(0);
    const remoteWrong = await pamtester(serviceRemote, 'hank', await wrongCode(secret, epoch, 9), {
      rhost: '203.0.113.7',
    });
    expect(remoteWrong.code).not.toBe(0);
    const remoteOk = await pamtester(
      serviceRemote,
      'hank',
      await oathtoolTotp(secret, epoch + 30),
      {
        rhost: '203.0.113.7',
      },
    );
    expect([remoteOk.code, remoteOk.output]).toEqual([
      0,
      expect.stringContaining('successfully authenticated'),
    ]);
    const record = await portal.node.runtime.store.get('hank@adatum.test');
    expect(record?.useragent).toContain('rhost=203.0.113.7');
  });

  it('uninstall removes the service file it created, the cache and the config', async () => {
    const r = await runCli(BIN, ['uninstall', '--config-file', configFile()], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `removed /etc/pam.d/${serviceRemote} (it held only the agent’s block)`,
    );
    await expect(stat(join('/etc/pam.d', serviceRemote))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(configFile())).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await runCli(BIN, ['uninstall', '--config-file', configFile()], { cwd: dir });
    expect([again.code, again.stdout]).toEqual([0, `nothing to uninstall: no ${configFile()}\n`]);
  });
});
