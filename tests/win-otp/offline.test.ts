// Offline logons: users sync their secret from a running portal (a valid code each), then the
// portal goes away. Codes are validated from the encrypted cache until the sync expires (the
// clock is injected to travel there), with the agent's own lockout and reuse guard; a cache file
// that was altered is refused; 0 days disables offline logons; a portal that does not answer
// fails within api_timeout and the agent falls back to the cache.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createWinEnvelope } from '@securemfa/core';
import { oathtoolTotp, requireTool, safeStepNow, wrongCode } from '../helpers/e2e-otp-tools.js';
import {
  enrolUser,
  eventsIn,
  runAgent,
  startWinPortal,
  writeAgentConfig,
  type WinPortal,
} from '../helpers/win-portal-host.js';
import { startBlackHole } from '../helpers/win-relay.js';

jest.setTimeout(60_000);

let portal: WinPortal;
let dir: string;
let agentFile: string;
let cacheFile: string;
const secrets: Record<string, string> = {};
let syncedAt: Record<string, number> = {};
let portalUp = true;

beforeAll(async () => {
  requireTool('oathtool');
  portal = await startWinPortal();
  dir = portal.dir;
  agentFile = join(dir, 'agent.json');
  cacheFile = join(dir, 'SecureMfaWinOtp.offline');
  await writeAgentConfig(agentFile, portal.node.base, portal.secrets);
  for (const user of ['erin', 'frank', 'gina']) {
    secrets[user] = await enrolUser(portal, `${user}@adatum.test`);
  }
});

afterAll(async () => {
  if (portalUp) await portal?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const at = (ms: number) => () => new Date(ms);
const code = (user: string, ms: number): Promise<string> =>
  oathtoolTotp(secrets[user]!, Math.floor(ms / 1000));
const validate = (user: string, c: string, clock?: () => Date, file = agentFile) =>
  runAgent(['validate', '--user', user, '--code', c, '--json', '-c', file], {
    deps: clock === undefined ? {} : { clock },
  });
const outcome = (r: { code: number; stdout: string }) => {
  const j = JSON.parse(r.stdout) as { ok: boolean; mode: string; reason?: string };
  return [r.code, j.ok, j.mode, j.reason];
};
const agentLog = (): Promise<string> => readFile(join(dir, 'agent.log'), 'utf8');

describe('sync while the portal is up', () => {
  it('a valid code stores the secret encrypted (0600, no secret or user name in clear)', async () => {
    await safeStepNow(30, 6);
    for (const user of ['erin', 'frank', 'gina']) {
      const r = await runAgent([
        'sync',
        '--user',
        user,
        '--code',
        await code(user, Date.now()),
        '-c',
        agentFile,
      ]);
      expect([r.code, r.stdout]).toEqual([
        0,
        expect.stringMatching(
          new RegExp(`^synced for offline logons: ${user}@adatum\\.test \\(until \\d{4}-`),
        ),
      ]);
    }
    const info = await stat(cacheFile);
    expect(info.mode & 0o777).toBe(0o600);
    const text = await readFile(cacheFile, 'utf8');
    for (const user of ['erin', 'frank', 'gina']) {
      expect(text).not.toContain(secrets[user]);
      expect(text).not.toContain(user);
    }
    const status = await runAgent(['status', '--json', '-c', agentFile]);
    const s = JSON.parse(status.stdout) as {
      cache: { state: string; users: { upn: string; syncedAt: string; expiresAt: string }[] };
    };
    expect(s.cache.state).toBe('ok');
    syncedAt = Object.fromEntries(s.cache.users.map((u) => [u.upn, Date.parse(u.syncedAt)]));
    for (const u of s.cache.users) {
      expect(Date.parse(u.expiresAt) - Date.parse(u.syncedAt)).toBe(7 * 86_400_000);
    }
    expect(Object.keys(syncedAt).sort()).toEqual([
      'erin@adatum.test',
      'frank@adatum.test',
      'gina@adatum.test',
    ]);
    expect(eventsIn(await agentLog(), 5552).map((e) => e.upn)).toEqual([
      'erin@adatum.test',
      'frank@adatum.test',
      'gina@adatum.test',
    ]);
  });

  it('a wrong code syncs nothing (exit 1)', async () => {
    const r = await runAgent([
      'sync',
      '--user',
      'erin',
      '--code',
      await wrongCode(secrets.erin!, Math.floor(Date.now() / 1000), 3),
      '-c',
      agentFile,
    ]);
    expect([r.code, r.stdout]).toEqual([
      1,
      expect.stringContaining('sync failed: erin@adatum.test: invalid_code'),
    ]);
  });

  it('an online logon advances the offline reuse guard', async () => {
    const c = await code('erin', Date.now() + 30_000);
    expect(outcome(await validate('erin', c))).toEqual([0, true, 'online', undefined]);
    await portal.close();
    portalUp = false;
    // The portal is gone now: the same code offline is a reuse.
    expect(outcome(await validate('erin', c))).toEqual([1, false, 'offline', 'reused_code']);
  });
});

describe('the portal is down', () => {
  it('offline validation works until the sync expires (injected clock)', async () => {
    const t0 = syncedAt['erin@adatum.test']!;
    const day1 = t0 + 86_400_000;
    const c1 = await code('erin', day1);
    expect(outcome(await validate('erin', c1, at(day1)))).toEqual([0, true, 'offline', undefined]);
    expect(outcome(await validate('erin', c1, at(day1 + 1000)))).toEqual([
      1,
      false,
      'offline',
      'reused_code',
    ]);
    const lastMinute = t0 + 7 * 86_400_000 - 60_000;
    expect(outcome(await validate('erin', await code('erin', lastMinute), at(lastMinute)))).toEqual(
      [0, true, 'offline', undefined],
    );
    const expired = t0 + 7 * 86_400_000 + 1000;
    const r = await validate('erin', await code('erin', expired), at(expired));
    expect(outcome(r)).toEqual([1, false, 'offline', 'offline_expired']);
    expect(JSON.parse(r.stdout).message).toBe(
      'the portal is unreachable and the offline sync has expired: sync again when online',
    );
    const log = await agentLog();
    expect(eventsIn(log, 5553).some((e) => e.reason === 'unreachable')).toBe(true);
    expect(eventsIn(log, 5556).filter((e) => e.mode === 'offline').length).toBe(2);
  });

  it('a wrong code is rejected offline; after 3 failures the user is locked for 10 minutes', async () => {
    const t = syncedAt['frank@adatum.test']! + 3_600_000;
    const epoch = Math.floor(t / 1000);
    const reasons = [];
    for (let i = 0; i < 3; i += 1) {
      const r = await validate(
        'frank',
        await wrongCode(secrets.frank!, epoch, 30 + i),
        at(t + i * 1000),
      );
      reasons.push(outcome(r)[3]);
    }
    expect(reasons).toEqual(['invalid_code', 'invalid_code', 'locked']);
    const locked = await validate('frank', await code('frank', t + 60_000), at(t + 60_000));
    expect(outcome(locked)).toEqual([1, false, 'offline', 'locked']);
    expect(Date.parse(JSON.parse(locked.stdout).lockedUntil)).toBe(t + 2000 + 10 * 60_000);

    const status = await runAgent(['status', '-c', agentFile], { deps: { clock: at(t + 60_000) } });
    expect(status.stdout).toMatch(/frank@adatum\.test: synced .*, valid until .*, locked until /);

    const after = t + 2000 + 10 * 60_000 + 1000;
    expect(outcome(await validate('frank', await code('frank', after), at(after)))).toEqual([
      0,
      true,
      'offline',
      undefined,
    ]);
  });

  it('a user who never synced is refused (not_synced)', async () => {
    expect(outcome(await validate('nobody', '123456'))).toEqual([
      1,
      false,
      'offline',
      'not_synced',
    ]);
  });

  it('an altered cache file is refused (5553); the genuine one works again', async () => {
    const original = await readFile(cacheFile, 'utf8');
    const t = syncedAt['gina@adatum.test']! + 7_200_000;
    const outer = JSON.parse(original) as { format: string; envelope: string };
    const data = Buffer.from(outer.envelope.slice(3), 'base64url');
    data[data.length >> 1] = data[data.length >> 1]! ^ 0x04;
    const flipped = JSON.stringify({ ...outer, envelope: `w1.${data.toString('base64url')}` });
    // A message sealed with the right passphrase for another purpose (a captured portal answer).
    const envelope = createWinEnvelope({ passphrase: portal.secrets.passphrase });
    const inner = envelope.open('offline-cache', outer.envelope);
    const planted = JSON.stringify({ ...outer, envelope: envelope.seal('response', inner) });
    const variants = [flipped, planted, original.slice(0, original.length - 20), '{}'];
    let i = 0;
    for (const text of variants) {
      await writeFile(cacheFile, text, { mode: 0o600 });
      const r = await validate('gina', await code('gina', t + i * 30_000), at(t + i * 30_000));
      expect(outcome(r)).toEqual([1, false, 'offline', 'cache_tampered']);
      i += 1;
    }
    const status = await runAgent(['status', '-c', agentFile]);
    expect(status.stdout).toContain('REFUSED (altered or another passphrase)');
    const refused = eventsIn(await agentLog(), 5553).filter((e) => e.reason === 'cache_tampered');
    expect(refused.length).toBe(variants.length);
    await writeFile(cacheFile, original, { mode: 0o600 });
    const back = await validate('gina', await code('gina', t + 300_000), at(t + 300_000));
    expect(outcome(back)).toEqual([0, true, 'offline', undefined]);
  });

  it('totp_offline_secret_valid_days 0 disables offline logons (sync is a configuration error)', async () => {
    const file = join(dir, 'agent-nooffline.json');
    await writeAgentConfig(file, portal.node.base, portal.secrets, {
      totp_offline_secret_valid_days: 0,
      offline_cache_file: cacheFile,
    });
    const sync = await runAgent(['sync', '--user', 'gina', '--code', '123456', '-c', file]);
    expect(sync.code).toBe(2);
    expect(sync.stderr).toContain(
      'offline validation is disabled: totp_offline_secret_valid_days is 0',
    );
    const t = syncedAt['gina@adatum.test']! + 7_200_000;
    const r = await validate('gina', await code('gina', t + 600_000), at(t + 600_000), file);
    expect(outcome(r)).toEqual([1, false, 'none', 'unreachable']);
  });

  it('a portal that never answers fails within api_timeout and the agent validates offline', async () => {
    const hole = await startBlackHole();
    try {
      const file = join(dir, 'agent-blackhole.json');
      await writeAgentConfig(file, hole.base, portal.secrets, {
        api_timeout: 800,
        offline_cache_file: cacheFile,
        log_file: 'agent-blackhole.log',
      });
      const t = syncedAt['gina@adatum.test']! + 7_200_000 + 900_000;
      const c = await code('gina', t);
      const started = Date.now();
      const r = await validate('gina', c, at(t), file);
      const elapsed = Date.now() - started;
      expect(outcome(r)).toEqual([0, true, 'offline', undefined]);
      expect(elapsed).toBeGreaterThanOrEqual(700);
      expect(elapsed).toBeLessThan(800 + 2000);
      const log = await readFile(join(dir, 'agent-blackhole.log'), 'utf8');
      expect(eventsIn(log, 5553).map((e) => e.detail)).toEqual(['no answer within 800 ms']);
    } finally {
      await hole.close();
    }
  });
});
