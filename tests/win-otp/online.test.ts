// The win-otp agent against a running qr-otp host with the portal on, over real sockets on
// 127.0.0.1: the code a phone shows (oathtool) is accepted, a wrong one and a reused one are
// rejected, the user name is joined with anchordnsname, and each outcome is logged on both sides
// with the seed's event IDs — never the code or a secret.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { oathtoolTotp, requireTool, safeStepNow, wrongCode } from '../helpers/e2e-otp-tools.js';
import {
  enrolUser,
  eventsIn,
  portalConfig,
  runAgent,
  startWinPortal,
  writeAgentConfig,
  type WinPortal,
} from '../helpers/win-portal-host.js';

jest.setTimeout(60_000);

let portal: WinPortal;
let agentFile: string;
/** Codes typed in this suite: none may appear in a log. */
const typed: string[] = [];

beforeAll(async () => {
  requireTool('oathtool');
  portal = await startWinPortal();
  agentFile = join(portal.dir, 'agent.json');
  await writeAgentConfig(agentFile, portal.node.base, portal.secrets);
});

afterAll(async () => {
  await portal?.close();
  if (portal !== undefined) await rm(portal.dir, { recursive: true, force: true });
});

const agentLog = (): Promise<string> => readFile(join(portal.dir, 'agent.log'), 'utf8');

describe('validate against the portal', () => {
  const upn = 'alice@adatum.test';
  let secret: string;

  beforeAll(async () => {
    secret = await enrolUser(portal, upn);
  });

  it('accepts the code the phone shows (user joined with anchordnsname), then refuses it as reused', async () => {
    const epoch = await safeStepNow(30, 3);
    const code = await oathtoolTotp(secret, epoch);
    typed.push(code);
    const ok = await runAgent(['validate', '--user', 'alice', '--code', code, '-c', agentFile]);
    expect([ok.code, ok.stdout]).toEqual([0, 'accepted (online): alice@adatum.test\n']);

    const again = await runAgent(['validate', '--user', 'alice', '-c', agentFile], {
      stdin: `${code}\n`,
    });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe(
      'rejected (online): alice@adatum.test: reused_code: the code was used already: wait for the next one\n',
    );
  });

  it('rejects a wrong code (exit 1, invalid_code) and counts it on the portal', async () => {
    const epoch = Math.floor(Date.now() / 1000);
    const bad = await wrongCode(secret, epoch, 1);
    typed.push(bad);
    const r = await runAgent(['validate', '--user', upn, '--code', bad, '--json', '-c', agentFile]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      upn,
      mode: 'online',
      reason: 'invalid_code',
      message: 'the code is not valid',
    });
    const record = await portal.node.runtime.store.get(upn);
    expect(record?.failedlogoncount).toBe(1);
    expect(record?.failedcode).toBe(bad);
  });

  it('logs 5556/5557 on both sides, without codes or secrets', async () => {
    const agent = await agentLog();
    expect(eventsIn(agent, 5556).map((e) => [e.upn, e.mode, e.source])).toEqual([
      [upn, 'online', 'SecureMFA WIN OTP'],
    ]);
    expect(eventsIn(agent, 5557).map((e) => [e.upn, e.reason])).toEqual([
      [upn, 'reused_code'],
      [upn, 'invalid_code'],
    ]);
    const host = await readFile(portal.logFile, 'utf8');
    expect(eventsIn(host, 5556).filter((e) => e.upn === upn).length).toBeGreaterThanOrEqual(2);
    for (const text of [agent, host]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(portal.secrets.passphrase);
      expect(text).not.toContain(portal.secrets.apiHeadersValue);
      for (const code of typed) expect(text).not.toContain(`"${code}"`);
    }
    expect(typed).toHaveLength(2);
  });

  it('a user who never finished enrolment is refused (not_enrolled) and no record is created', async () => {
    const r = await runAgent(['validate', '--user', 'nobody', '--code', '123456', '-c', agentFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nobody@adatum.test: not_enrolled');
    expect(await portal.node.runtime.store.get('nobody@adatum.test')).toBeUndefined();
  });

  it('three wrong codes lock the user on the portal (its lockout policy), then even a good code is refused', async () => {
    const lockUpn = 'locky@adatum.test';
    const lockSecret = await enrolUser(portal, lockUpn);
    const epoch = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 2; i += 1) {
      const bad = await wrongCode(lockSecret, epoch, 10 + i);
      const r = await runAgent(['validate', '--user', lockUpn, '--code', bad, '-c', agentFile]);
      expect(r.stdout).toContain('invalid_code');
    }
    const third = await runAgent([
      'validate',
      '--user',
      lockUpn,
      '--code',
      await wrongCode(lockSecret, epoch, 20),
      '-c',
      agentFile,
    ]);
    expect([third.code, third.stdout]).toEqual([1, expect.stringContaining(': locked:')]);
    const good = await runAgent([
      'validate',
      '--user',
      lockUpn,
      '--code',
      await oathtoolTotp(lockSecret, Math.floor(Date.now() / 1000)),
      '-c',
      agentFile,
    ]);
    expect([good.code, good.stdout]).toEqual([1, expect.stringContaining(': locked:')]);
  });
});

describe('portal refusals the agent reports (exit 1, event 5553, no offline fallback)', () => {
  it('a wrong api_headers_value → unauthorized', async () => {
    const file = join(portal.dir, 'agent-badkey.json');
    await writeAgentConfig(
      file,
      portal.node.base,
      {
        ...portal.secrets,
        apiHeadersValue: 'not-the-portal-key-0123456789',
      },
      { log_file: 'agent-badkey.log' },
    );
    const r = await runAgent(['validate', '--user', 'alice', '--code', '123456', '-c', file]);
    expect([r.code, r.stdout]).toEqual([
      1,
      'rejected (online): alice@adatum.test: unauthorized: the portal refused this workstation’s api_headers_value\n',
    ]);
    const log = await readFile(join(portal.dir, 'agent-badkey.log'), 'utf8');
    expect(eventsIn(log, 5553).map((e) => e.reason)).toEqual(['unauthorized']);
    expect(log).not.toContain('not-the-portal-key-0123456789');
  });

  it('another passphrase → the portal cannot open the message → message_rejected', async () => {
    const file = join(portal.dir, 'agent-badpass.json');
    await writeAgentConfig(
      file,
      portal.node.base,
      {
        ...portal.secrets,
        passphrase: 'another passphrase, not the portal one',
      },
      { log_file: 'agent-badpass.log' },
    );
    const r = await runAgent(['validate', '--user', 'alice', '--code', '123456', '-c', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(': message_rejected: ');
    const log = await readFile(join(portal.dir, 'agent-badpass.log'), 'utf8');
    expect(eventsIn(log, 5553).map((e) => e.reason)).toEqual(['message_rejected']);
  });

  it('a host without the portal (win_portal_enable off) → portal_error', async () => {
    const off = await startWinPortal({
      dir: portal.dir,
      config: portalConfig(portal.dir, portal.secrets, {
        win_portal_enable: 'false',
        sqlite_path: join(portal.dir, 'off.db'),
      }),
      logName: 'off.log',
    });
    try {
      const file = join(portal.dir, 'agent-off.json');
      await writeAgentConfig(file, off.node.base, portal.secrets, { log_file: 'agent-off.log' });
      const r = await runAgent(['validate', '--user', 'alice', '--code', '123456', '-c', file]);
      expect([r.code, r.stdout]).toEqual([
        1,
        'rejected (online): alice@adatum.test: portal_error: the portal could not answer\n',
      ]);
      expect(r.stderr).toContain('HTTP 404');
    } finally {
      await off.close();
    }
  });
});
