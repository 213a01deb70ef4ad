// Brute force (issue 9): the per-user and per-IP rate limits of a real `securemfa-qr-otp serve`
// process hold under parallel guessing. Lockout is off here (ui_login_failures 0), so the
// limiter alone is what is measured (the farm race suite measures the lockout). The host trusts
// X-Forwarded-For from 127.0.0.1, so one test machine can be many client addresses.
//
// - 100 wrong guesses at once for one user, from 100 addresses: exactly the per-user allowance
//   left in the window is processed (each counted as a failure), every other one is 429
//   slow_down with Retry-After; the right code is refused (429) as well until the window ends.
// - 150 guesses at once from one address: exactly the per-IP allowance left is processed, the
//   rest 429; another address is still served at once.
// - From what the host let through for one user in one window, the time to guess through the
//   10^6 codes of one user is reported (the bench's brute-force suite also measures it across
//   lockout policies).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { openStore } from '@securemfa/core';
import { killAllChildren, startServe, type ServeProcess } from '../helpers/e2e-cli.js';
import { oathtoolTotp, requireTool, safeStepNow, wrongCode } from '../helpers/e2e-otp-tools.js';
import { http, type HttpResult } from '../helpers/e2e-qr-host.js';
import { QR_BIN, writeConfigFile } from '../helpers/hardening-host.js';

jest.setTimeout(120_000);

const PER_USER = 20;
const PER_IP = 60;
const apiKey = randomBytes(32).toString('base64url');
let dir: string;
let userNode: ServeProcess;
let ipNode: ServeProcess;
const dbOf: Record<string, string> = {};
/** Measured in the per-user test: guesses for one user the host checked in one window. */
let checkedInWindow: number | undefined;
/** Measured there too: the longest Retry-After (s) a refused guess was told to wait. */
let windowSeconds: number | undefined;

async function start(name: string, perIp: number, perUser: number): Promise<ServeProcess> {
  dbOf[name] = join(dir, `${name}.db`);
  const file = await writeConfigFile(dir, `${name}.json`, {
    auth_mode: 'SQLITE',
    sqlite_path: dbOf[name]!,
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
    ui_login_failures: '0',
    rate_limit_per_ip_per_minute: String(perIp),
    rate_limit_per_user_per_minute: String(perUser),
    trusted_proxies: '127.0.0.1',
  });
  return startServe(QR_BIN, ['serve', '-c', file, '--port', '0'], { cwd: dir });
}

beforeAll(async () => {
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'hardening-brute-'));
  [userNode, ipNode] = await Promise.all([
    start('per-user', 1_000_000, PER_USER),
    start('per-ip', PER_IP, 1_000_000),
  ]);
}, 60_000);

afterAll(async () => {
  await userNode?.stop();
  await ipNode?.stop();
  killAllChildren();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** A request from a client address (X-Forwarded-For, honoured from 127.0.0.1). */
function post(node: ServeProcess, path: string, body: unknown, from: string): Promise<HttpResult> {
  return http(`${node.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${apiKey}`,
      'x-forwarded-for': from,
    },
    body: JSON.stringify(body),
  });
}

/** Enrol and finish the first logon (3 calls for the user: begin, end, begin). */
async function enrolled(node: ServeProcess, upn: string, from: string) {
  const b = await post(node, '/adapter/begin', { upn }, from);
  expect(b.json.status).toBe('enroll');
  const secret = b.json.presentation.enrollment.secret as string;
  const epoch = await safeStepNow(30, 8);
  const first = await post(
    node,
    '/adapter/end',
    { context: b.json.context, code: await oathtoolTotp(secret, epoch - 30) },
    from,
  );
  expect(first.json.ok).toBe(true);
  const again = await post(node, '/adapter/begin', { upn }, from);
  expect(again.json.status).toBe('enter_code');
  return { secret, epoch, context: again.json.context as string };
}

function tally(results: HttpResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? String(r.json.reason ?? 'ok') : `http_${r.status}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function expectSlowDown(r: HttpResult, scope: 'user' | 'address'): void {
  expect(r.status).toBe(429);
  expect(r.json.error).toBe('slow_down');
  expect(r.json.error_description).toBe(
    scope === 'user' ? 'too many requests for this user' : 'too many requests from this address',
  );
  const retry = Number(r.headers.get('retry-after'));
  expect(Number.isInteger(retry) && retry >= 1 && retry <= 60).toBe(true);
}

describe(`per-user limit (${PER_USER}/min) under parallel guessing from many addresses`, () => {
  it('100 wrong guesses at once from 100 addresses: exactly the allowance left is processed, the rest 429; the right code is refused too', async () => {
    const upn = 'target@adatum.test';
    const { secret, epoch, context } = await enrolled(userNode, upn, '198.51.100.1');
    const used = 3;
    const guesses = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const code = await wrongCode(secret, epoch, i + 10);
        return post(userNode, '/adapter/end', { context, code }, `203.0.113.${i + 1}`);
      }),
    );
    expect(tally(guesses)).toEqual({
      invalid_code: PER_USER - used,
      http_429: 100 - (PER_USER - used),
    });
    for (const r of guesses.filter((g) => g.status === 429)) expectSlowDown(r, 'user');
    checkedInWindow = used + guesses.filter((g) => g.status === 200).length;
    windowSeconds = Math.max(
      ...guesses.filter((g) => g.status === 429).map((g) => Number(g.headers.get('retry-after'))),
    );

    const right = await post(
      userNode,
      '/adapter/end',
      { context, code: await oathtoolTotp(secret, epoch) },
      '192.0.2.77',
    );
    expectSlowDown(right, 'user');

    const store = await openStore({ kind: 'sqlite', path: dbOf['per-user']!, migrate: false });
    try {
      const record = await store.get(upn);
      // Exactly the processed guesses were counted; the refused ones never reached the store.
      expect(record).toMatchObject({ failedlogoncount: PER_USER - used, logoncount: 1 });
    } finally {
      await store.close();
    }
    // Another user is not affected by this user's limit.
    const other = await post(
      userNode,
      '/adapter/begin',
      { upn: 'other@adatum.test' },
      '203.0.113.1',
    );
    expect(other.json.status).toBe('enroll');
    process.stdout.write(
      `[hardening] per-user limit ${PER_USER}/min: 100 parallel guesses → ${JSON.stringify(tally(guesses))}\n`,
    );
  });
});

describe(`per-IP limit (${PER_IP}/min) under parallel guessing from one address`, () => {
  it('150 guesses at once from one address: exactly the allowance left is processed, the rest 429; another address is served', async () => {
    const attacker = '203.0.113.250';
    const { secret, epoch, context } = await enrolled(ipNode, 'victim@adatum.test', attacker);
    const used = 3;
    const guesses = await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const code = await wrongCode(secret, epoch, i + 500);
        return post(ipNode, '/adapter/end', { context, code }, attacker);
      }),
    );
    expect(tally(guesses)).toEqual({
      invalid_code: PER_IP - used,
      http_429: 150 - (PER_IP - used),
    });
    for (const r of guesses.filter((g) => g.status === 429)) expectSlowDown(r, 'address');
    // Health is never limited; other addresses are served at once.
    expect(
      (await http(`${ipNode.url}/healthz`, { headers: { 'x-forwarded-for': attacker } })).status,
    ).toBe(200);
    const other = await post(
      ipNode,
      '/adapter/begin',
      { upn: 'someone@adatum.test' },
      '198.51.100.9',
    );
    expect(other.json.status).toBe('enroll');
    const metrics = await http(`${ipNode.url}/metrics`);
    const limited = /securemfa_rate_limited_total\{scope="ip"\} (\d+)/.exec(metrics.text);
    expect(Number(limited?.[1])).toBe(150 - (PER_IP - used));
    process.stdout.write(
      `[hardening] per-IP limit ${PER_IP}/min: 150 parallel guesses → ${JSON.stringify(tally(guesses))}\n`,
    );
  });
});

describe('time to exhaust the code space at the rate measured above', () => {
  it('one user: 10^6 codes at the checked guesses per minute take at least the configured 10^6 / 20 minutes', () => {
    if (checkedInWindow === undefined || windowSeconds === undefined) {
      throw new Error('the per-user test did not run: nothing was measured');
    }
    // The window is a minute: no refused guess may be told to wait longer than that.
    expect(windowSeconds).toBeLessThanOrEqual(60);
    const perMinute = checkedInWindow;
    const days = 1_000_000 / perMinute / 1440;
    // ±1 step window: 3 codes are valid at any time, so a first lucky guess takes a third.
    const firstHitDays = days / 3;
    expect(perMinute).toBeLessThanOrEqual(PER_USER);
    expect(days).toBeGreaterThanOrEqual(1_000_000 / PER_USER / 1440);
    process.stdout.write(
      `[hardening] brute force, one user, one node, lockout off: ${perMinute} guesses/min checked → ` +
        `10^6 codes in ${days.toFixed(1)} days, expected first hit in ${firstHitDays.toFixed(1)} days\n`,
    );
  });
});
