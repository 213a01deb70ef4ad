// Crash safety: `securemfa-qr-otp serve` on a SQLite file is killed with SIGKILL (kill -9) while
// it is serving sign-ins, three times in a row. After each kill, before anything reopens the
// file as the host would:
//
// - the file passes `PRAGMA integrity_check` (SQLite replays the WAL the dead process left);
// - no enrolled user is lost (every row is there; its secret still decrypts: the restarted host
//   accepts the user's code);
// - the counters agree with what the client saw: for every user, the logons (or failures) the
//   host acknowledged ≤ the increase of logoncount (failedlogoncount) ≤ the requests sent — each
//   lane has one request in flight at a time, so at most one unacknowledged request per user
//   may or may not have been committed when the process died;
// - the restarted host serves again: /readyz, enrolled users get `enter_code` (not a new QR).
//
// The load is bounded: one lane per user, each lane sends its next request when the previous
// answer is in, and stops when the host dies, after MAX_PER_LANE requests, or after LOAD_MS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { generateTotp } from '@securemfa/core';
import { killAllChildren, runCli } from '../helpers/e2e-cli.js';
import { requireTool, safeStepNow } from '../helpers/e2e-otp-tools.js';
import type { HttpResult } from '../helpers/e2e-qr-host.js';
import {
  BINS,
  begin,
  enrolledSecret,
  end,
  ready,
  serverErrors,
  startNodes,
  stopNodes,
  wrongCodes,
  writeConfigFile,
  type FarmNode,
} from '../helpers/hardening-farm.js';

jest.setTimeout(120_000);

const SUCCESS_USERS = 8;
const FAILURE_USERS = 4;
const CYCLES = 3;
/** Kill once the client has seen this many acknowledged answers in the cycle (plus a random
 * 0–150, so every cycle dies at another point) … */
const KILL_AFTER_ACKS = 120;
/** … or after this long, whichever comes first. */
const KILL_AFTER_MS = 4_000;
const MAX_PER_LANE = 2_000;
const LOAD_MS = 15_000;

interface User {
  upn: string;
  secret: string;
  context: string;
  kind: 'success' | 'failure';
  /** Codes outside this user's window (failure lanes send these). */
  wrong: string[];
  /** Requests of this cycle: sent, and answered as expected. */
  sent: number;
  acked: number;
}

interface Row {
  upn: string;
  logoncount: number;
  failedlogoncount: number;
  secret: string;
}

let dir: string;
let dbPath: string;
let configFile: string;
let apiKey: string;
let node: FarmNode | undefined;
const users: User[] = [];
const cycleReports: string[] = [];

function readRows(): { integrity: string[]; rows: Map<string, Row> } {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
    const rows = new Map<string, Row>();
    for (const r of db
      .prepare('SELECT upn, logoncount, failedlogoncount, secret FROM secrets')
      .all() as Row[]) {
      rows.set(r.upn.toLowerCase(), r);
    }
    return { integrity, rows };
  } finally {
    db.close();
  }
}

/** One lane: a user's sign-ins, one at a time, until the host dies or a bound is reached. */
async function lane(user: User, target: FarmNode, stop: { dead: boolean }) {
  const wrong = user.wrong;
  const deadline = Date.now() + LOAD_MS;
  for (let i = 0; i < MAX_PER_LANE && !stop.dead && Date.now() < deadline; i += 1) {
    const code =
      user.kind === 'success'
        ? generateTotp({ secret: user.secret })
        : (wrong[i % wrong.length] ?? '000000');
    user.sent += 1;
    let answer: HttpResult;
    try {
      answer = await end(target, apiKey, user.context, code);
    } catch {
      return; // the host died with this request in flight: sent, not acknowledged
    }
    const expected =
      user.kind === 'success'
        ? answer.json?.ok === true
        : answer.json?.ok === false && answer.json?.reason === 'invalid_code';
    if (answer.status !== 200 || !expected) {
      throw new Error(`unexpected answer for ${user.upn}: ${answer.status} ${answer.text}`);
    }
    user.acked += 1;
  }
}

/** A lane of first sign-ins (new users: begin creates their record) during the load. */
async function enrolLane(
  target: FarmNode,
  stop: { dead: boolean },
  cycle: number,
): Promise<{ sent: number; acked: string[] }> {
  const acked: string[] = [];
  let sent = 0;
  const deadline = Date.now() + LOAD_MS;
  for (let i = 0; i < MAX_PER_LANE && !stop.dead && Date.now() < deadline; i += 1) {
    const upn = `crash-new-${cycle}-${i}@contoso.test`;
    sent += 1;
    try {
      const r = await begin(target, apiKey, upn);
      if (r.json?.status !== 'enroll') throw new Error(`begin ${upn}: ${r.status} ${r.text}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('begin ')) throw err;
      break; // the host died with this request in flight
    }
    acked.push(upn);
  }
  return { sent, acked };
}

beforeAll(async () => {
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'hardening-crash-'));
  dbPath = join(dir, 'otp.db');
  apiKey = randomBytes(32).toString('base64url');
  configFile = await writeConfigFile(dir, 'SecureMfaOtpProvider.json', {
    company: 'Hardening Crash',
    auth_mode: 'SQLITE',
    sqlite_path: dbPath,
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(24).toString('base64url'),
    adapter_api_key: apiKey,
    // The same code may sign in again within its step: a lane can sign in many times a second.
    totp_allow_reuse: 'true',
    ui_login_failures: '0',
    rate_limit_per_ip_per_minute: '0',
    rate_limit_per_user_per_minute: '0',
    listen_host: '127.0.0.1',
  });
  const install = await runCli(
    BINS['qr-otp'],
    ['install', '-c', configFile, '--service-dir', join(dir, 'units')],
    { cwd: dir, timeoutMs: 60_000 },
  );
  if (install.code !== 0) throw new Error(`install failed:\n${install.stdout}\n${install.stderr}`);
  [node] = await startNodes(BINS['qr-otp'], [configFile], { cwd: dir });
  for (let i = 0; i < SUCCESS_USERS + FAILURE_USERS; i += 1) {
    const kind = i < SUCCESS_USERS ? 'success' : 'failure';
    const upn = `crash-${kind}-${i}@contoso.test`;
    const enrol = await begin(node!, apiKey, upn);
    const secret = enrolledSecret(enrol);
    await safeStepNow(30, 2);
    const first = await end(node!, apiKey, enrol.json.context, generateTotp({ secret }));
    expect(first.json).toMatchObject({ ok: true });
    const wrong = kind === 'failure' ? await wrongCodes(secret, Date.now() / 1000, 16) : [];
    users.push({ upn, secret, context: enrol.json.context, kind, wrong, sent: 0, acked: 0 });
  }
});

afterAll(async () => {
  if (node !== undefined) await stopNodes([node]).catch(() => undefined);
  killAllChildren();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  if (cycleReports.length > 0) process.stderr.write(`${cycleReports.join('\n')}\n`);
});

describe(`kill -9 under load, ${CYCLES} times (SQLite, synchronous FULL)`, () => {
  it('after every kill: integrity_check ok, no user lost, counters between acknowledged and sent; the restarted host serves again', async () => {
    let { rows: baseline } = readRows();
    expect(baseline.size).toBe(users.length);

    for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
      const target = node!;
      for (const u of users) {
        u.sent = 0;
        u.acked = 0;
      }
      const stop = { dead: false };
      const lanes = Promise.all(users.map((u) => lane(u, target, stop)));
      // Kill while every lane is busy: after KILL_AFTER_ACKS answers or KILL_AFTER_MS.
      const enrolments = enrolLane(target, stop, cycle);
      const t0 = Date.now();
      const killAt = KILL_AFTER_ACKS + Math.floor(Math.random() * 150);
      while (users.reduce((n, u) => n + u.acked, 0) < killAt && Date.now() - t0 < KILL_AFTER_MS) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const inFlight = users.filter((u) => u.sent > u.acked).length;
      const exited = new Promise((r) => target.serve.child.once('exit', r));
      target.serve.child.kill('SIGKILL');
      await exited;
      stop.dead = true;
      await lanes;
      const enrolled = await enrolments;
      expect(target.serve.child.signalCode).toBe('SIGKILL');
      const acked = users.reduce((n, u) => n + u.acked, 0);
      expect(acked).toBeGreaterThan(0);

      const { integrity, rows } = readRows();
      expect(integrity).toEqual(['ok']);
      // Every user enrolled before, and every enrolment acknowledged during the load, is there.
      for (const upn of [...baseline.keys(), ...enrolled.acked]) expect(rows.has(upn)).toBe(true);
      expect(rows.size).toBeGreaterThanOrEqual(baseline.size + enrolled.acked.length);
      expect(rows.size).toBeLessThanOrEqual(baseline.size + enrolled.sent);
      let unacknowledgedCommitted = 0;
      for (const u of users) {
        const now = rows.get(u.upn);
        const before = baseline.get(u.upn);
        expect(now).toBeDefined();
        expect(now!.secret).toBe(before!.secret);
        const delta =
          u.kind === 'success'
            ? now!.logoncount - before!.logoncount
            : now!.failedlogoncount - before!.failedlogoncount;
        if (delta < u.acked || delta > u.sent) {
          throw new Error(
            `cycle ${cycle}, ${u.upn} (${u.kind}): the store counted ${delta}, the client saw ${u.acked} acknowledged of ${u.sent} sent`,
          );
        }
        expect(u.sent - u.acked).toBeLessThanOrEqual(1);
        unacknowledgedCommitted += delta - u.acked;
        // A success resets failedlogoncount; failures never touch logoncount.
        if (u.kind === 'success') expect(now!.failedlogoncount).toBe(0);
        else expect(now!.logoncount).toBe(before!.logoncount);
      }
      cycleReports.push(
        `[hardening] crash cycle ${cycle}: killed after ${Date.now() - t0} ms with ${acked} sign-ins and ${enrolled.acked.length} enrolments acknowledged, ${inFlight} lanes in flight; ${unacknowledgedCommitted} unacknowledged sign-ins had committed`,
      );
      baseline = rows;

      // Restart on the same file: it serves again, and every user is still enrolled.
      [node] = await startNodes(BINS['qr-otp'], [configFile], { cwd: dir });
      const r = await ready(node!);
      expect(r.json).toEqual({ status: 'ready', store: 'sqlite' });
      for (const u of users) {
        const b = await begin(node!, apiKey, u.upn);
        expect(b.json.status).toBe('enter_code');
        u.context = b.json.context;
      }
      expect(serverErrors(node!)).toEqual([]);
    }

    // Every secret still decrypts: each success user signs in on the restarted host.
    await safeStepNow(30, 2);
    for (const u of users.filter((x) => x.kind === 'success')) {
      const ok = await end(node!, apiKey, u.context, generateTotp({ secret: u.secret }));
      expect(ok.json).toMatchObject({ ok: true });
    }
    const final = readRows();
    expect(final.integrity).toEqual(['ok']);
  });
});
