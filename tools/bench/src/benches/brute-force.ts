/**
 * Brute force, measured (issue 9): how fast can an attacker guess one user's code, and so how
 * long does exhausting the 10^6 code space take at the allowed rate?
 *
 * For each policy (the shipped defaults, the seed sample's lockout, and a hardened lockout) a
 * real provider host is built in-process the way `serve` builds it (core's
 * createProviderRuntime + createRuntimeHost, a SQLite file, the config validated by
 * checkConfig) and listens on 127.0.0.1; the host trusts X-Forwarded-For from 127.0.0.1 so one
 * machine can be many attackers. Then it measures, over real HTTP:
 * - the per-user allowance: 3× the configured limit of wrong guesses for one user at once, each
 *   from its own address; guesses answered (not 429) are what one node lets through per window;
 * - the guesses checked before a lockout: the `invalid_code` answers, plus the guess that took
 *   the count to ui_login_failures (answered `locked`, but checked);
 * - the lockout length: the adapter's clock (injected) is moved on a minute at a time until a
 *   wrong guess counts again (probed in-process, beside the rate limiter, so only the lockout
 *   policy is measured);
 * - the per-IP allowance: 3× the configured limit of requests at once from one address.
 * The rate limiter's window is its fixed one minute. From these: guesses per minute per user
 * = F ÷ (F ÷ allowance + lockout minutes) with a lockout of F failures, else the allowance; the
 * time to exhaust 10^6 codes at that rate; the expected time to a first success (each guess
 * matches one of the 3 codes the ±1 step window accepts). Per node: the rate limiter counts per
 * node, the lockout is farm-wide (it lives in the store), so N nodes multiply the allowance,
 * not the lockout.
 *
 * @module bench
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkConfig,
  createProviderRuntime,
  createSilentLogger,
  generateTotp,
  type AppChannel,
  type ProviderDefinition,
  type QrOtpConfig,
} from '@securemfa/core';
import { createRuntimeHost } from '@securemfa/core/http';
import type { BenchFigure, BenchSuite } from '../types.js';

/** Codes of the space an attacker must search (6 digits). */
const CODE_SPACE = 1_000_000;
/** Codes accepted at any instant: the current step and one either side. */
const CODES_ACCEPTED = 3;
/** The rate limiter's fixed window, minutes (http/rate-limit.ts). */
const LIMIT_WINDOW_MINUTES = 1;
/** Most requests in one burst (bounds the run whatever the configured limits). */
const MAX_BURST = 3000;
/** Most minutes the lockout probe moves the clock on. */
const MAX_LOCKOUT_PROBE_MINUTES = 24 * 60;
const MINUTES_PER_DAY = 1440;

/** A policy: the config keys that decide the guessing rate. */
interface Policy {
  id: string;
  title: string;
  keys: Record<string, string>;
}

const POLICIES: readonly Policy[] = [
  { id: 'defaults', title: 'shipped defaults (lockout off)', keys: {} },
  {
    id: 'seed-15-5',
    title: 'lockout 15 failures / 5 min (seed samples)',
    keys: { ui_login_failures: '15', ui_lockout_minutes: '5' },
  },
  {
    id: 'lockout-5-15',
    title: 'lockout 5 failures / 15 min',
    keys: { ui_login_failures: '5', ui_lockout_minutes: '15' },
  },
];

/** What one policy measured. */
interface PolicyMeasure {
  policy: Policy;
  config: QrOtpConfig;
  /** Guesses for one user answered in one window (not 429), one node. */
  userAllowance: number;
  /** `invalid_code` answers before the first `locked` (Infinity: never locked). */
  failuresBeforeLock: number;
  /** Minutes until a locked user's guesses count again (0: never locked). */
  lockoutMinutes: number;
  /** Requests from one address answered in one window (not 429). */
  ipAllowance: number;
}

const captured: string[] = [];
const appChannel: AppChannel = {
  mode: 'app',
  name: 'authenticator',
  enrolment: async (_user, secret) => {
    captured.push(secret);
    return { title: 'Set up', message: 'scan' };
  },
};

const definition: ProviderDefinition<QrOtpConfig> = {
  id: 'qr-otp',
  bin: 'bench',
  title: 'brute-force bench host',
  version: '0.0.0',
  configFileName: 'SecureMfaOtpProvider.json',
  eventSource: 'bench',
  createChannel: () => appChannel,
};

/** Wrong codes: never one of the ±2 steps around now. */
function wrongCodes(secret: string, epoch: number, count: number): string[] {
  const near = new Set(
    [-60, -30, 0, 30, 60].map((d) => generateTotp({ secret, epoch: epoch + d })),
  );
  const out: string[] = [];
  for (let i = 0; out.length < count && i < count * 2 + 10; i += 1) {
    const c = String((i * 104_729 + 7_919) % CODE_SPACE).padStart(6, '0');
    if (!near.has(c)) out.push(c);
  }
  return out;
}

async function post(
  base: string,
  key: string,
  path: string,
  body: unknown,
  from: string,
): Promise<{ status: number; reason: string }> {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
      'x-forwarded-for': from,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await r.json()) as { ok?: boolean; reason?: string };
  return {
    status: r.status,
    reason: r.status === 200 ? (json.reason ?? 'ok') : `http_${r.status}`,
  };
}

const address = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function measure(policy: Policy, dir: string): Promise<PolicyMeasure> {
  const apiKey = randomBytes(32).toString('base64url');
  const checked = checkConfig('qr-otp', {
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, `${policy.id}.db`),
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
    trusted_proxies: '127.0.0.1',
    ...policy.keys,
  });
  if (checked.error !== undefined) throw checked.error;
  const config = checked.config;
  let offsetMs = 0;
  const clock = (): Date => new Date(Date.now() + offsetMs);
  const logger = createSilentLogger();
  const runtime = await createProviderRuntime({
    definition,
    config,
    configDir: dir,
    logger,
    clock,
  });
  const host = await createRuntimeHost(runtime, { configDir: dir, processMetrics: false });
  try {
    await host.app.listen({ host: '127.0.0.1', port: 0 });
    const bound = host.app.server.address();
    if (typeof bound !== 'object' || bound === null) throw new Error('host has no address');
    const base = `http://127.0.0.1:${bound.port}`;

    // The target, enrolled and signed in once, in-process (not through the limiter).
    const upn = `target-${policy.id}@bench.test`;
    const enrolled = await runtime.adapter.begin(upn, { ip: '192.0.2.1' });
    const secret = captured.at(-1);
    if (enrolled.status !== 'enroll' || secret === undefined) {
      throw new Error(`bench self-check: enrolment of ${upn} said ${enrolled.status}`);
    }
    const epoch = Math.floor(Date.now() / 1000);
    const first = await runtime.adapter.end(
      enrolled.context,
      generateTotp({ secret, epoch: epoch - 30 }),
    );
    if (!first.ok) throw new Error(`bench self-check: first sign-in refused (${first.reason})`);
    const { context } = await runtime.adapter.begin(upn, { ip: '192.0.2.1' });

    // Per-user allowance and failures before a lockout: one user, every guess its own address.
    const burst = Math.min(MAX_BURST, 3 * Math.max(1, config.rate_limit_per_user_per_minute));
    const guesses = wrongCodes(secret, epoch, burst);
    const answers = await Promise.all(
      guesses.map((code, i) =>
        post(base, apiKey, '/adapter/end', { context, code }, address(i + 1)),
      ),
    );
    const bad = answers.filter((a) => a.status >= 500 || a.reason === 'network_error');
    if (bad.length > 0)
      throw new Error(`bench self-check: ${bad.length} guesses failed (${bad[0]!.reason})`);
    const userAllowance = answers.filter((a) => a.status !== 429).length;
    const invalid = answers.filter((a) => a.reason === 'invalid_code').length;
    const lockedAnswers = answers.filter((a) => a.reason === 'locked').length;
    // The guess that takes the count to F is checked too (answered locked, but it would have
    // signed in had it been right): F = the invalid_code answers + 1.
    const failuresBeforeLock = lockedAnswers > 0 ? invalid + 1 : Infinity;

    // Lockout length: move the adapter's clock on until a wrong guess counts again.
    let lockoutMinutes = 0;
    if (lockedAnswers > 0) {
      for (let m = 1; m <= MAX_LOCKOUT_PROBE_MINUTES; m += 1) {
        offsetMs = m * 60_000;
        const probeEpoch = Math.floor(clock().getTime() / 1000);
        const [code] = wrongCodes(secret, probeEpoch, 1);
        // A sign-in begun now (on the moved clock): an old context would have expired.
        const probe = await runtime.adapter.begin(upn, { ip: '192.0.2.9' });
        const r = await runtime.adapter.end(probe.context, code!, { ip: '192.0.2.9' });
        if (!r.ok && r.reason === 'invalid_code') {
          lockoutMinutes = m;
          break;
        }
        if (r.ok || r.reason !== 'locked') {
          throw new Error(`bench self-check: lockout probe said ${r.ok ? 'ok' : r.reason}`);
        }
      }
      if (lockoutMinutes === 0) throw new Error('bench self-check: the lockout never ended');
      offsetMs = 0;
    }

    // Per-IP allowance: requests from one address (any route but health counts).
    const ipBurst = Math.min(MAX_BURST, 3 * Math.max(1, config.rate_limit_per_ip_per_minute));
    const fromOne = await Promise.all(
      Array.from({ length: ipBurst }, () =>
        post(base, apiKey, '/adapter/end', { context: 'x', code: '000000' }, '198.51.100.200'),
      ),
    );
    const ipAllowance = fromOne.filter((a) => a.status !== 429).length;
    return { policy, config, userAllowance, failuresBeforeLock, lockoutMinutes, ipAllowance };
  } finally {
    await host.app.close();
    await runtime.close();
    await logger.close();
  }
}

/** Guesses per minute for one user on `nodes` nodes (the limiter is per node, lockout farm-wide). */
export function guessesPerMinute(
  m: Pick<PolicyMeasure, 'userAllowance' | 'failuresBeforeLock' | 'lockoutMinutes'>,
  nodes = 1,
): number {
  const allowance = (m.userAllowance * nodes) / LIMIT_WINDOW_MINUTES;
  if (!Number.isFinite(m.failuresBeforeLock)) return allowance;
  const f = m.failuresBeforeLock;
  return f / (f / allowance + m.lockoutMinutes);
}

function figuresOf(m: PolicyMeasure): BenchFigure[] {
  const id = m.policy.id;
  const rate = guessesPerMinute(m);
  const exhaustDays = CODE_SPACE / rate / MINUTES_PER_DAY;
  const firstDays = CODE_SPACE / CODES_ACCEPTED / rate / MINUTES_PER_DAY;
  const limits = `rate_limit_per_user_per_minute ${m.config.rate_limit_per_user_per_minute}, per IP ${m.config.rate_limit_per_ip_per_minute}, ui_login_failures ${m.config.ui_login_failures}, ui_lockout_minutes ${m.config.ui_lockout_minutes}`;
  const out: BenchFigure[] = [
    {
      id: `${id}-user-allowance`,
      title: `${m.policy.title}: guesses for one user let through per minute, one node`,
      value: m.userAllowance,
      unit: 'per min',
      note: `measured: ${Math.min(MAX_BURST, 3 * Math.max(1, m.config.rate_limit_per_user_per_minute))} wrong guesses at once from as many addresses; ${limits}`,
    },
    {
      id: `${id}-ip-allowance`,
      title: `${m.policy.title}: requests from one address let through per minute, one node`,
      value: m.ipAllowance,
      unit: 'per min',
      note: 'measured: 3× the per-IP limit at once from one address',
    },
  ];
  if (Number.isFinite(m.failuresBeforeLock)) {
    out.push(
      {
        id: `${id}-failures-before-lock`,
        title: `${m.policy.title}: guesses checked before the lockout`,
        value: m.failuresBeforeLock,
        unit: '',
        note: 'measured: the invalid_code answers + the guess that locked (answers turn to locked at the F-th failure; farm-wide: the count lives in the store)',
      },
      {
        id: `${id}-lockout-minutes`,
        title: `${m.policy.title}: lockout length`,
        value: m.lockoutMinutes,
        unit: 'min',
        note: 'measured: the adapter clock moved on a minute at a time until a wrong guess counted again',
      },
    );
  }
  out.push(
    {
      id: `${id}-guesses-per-min`,
      title: `${m.policy.title}: allowed guessing rate for one user, one node`,
      value: rate,
      unit: 'per min',
      note: Number.isFinite(m.failuresBeforeLock)
        ? 'F ÷ (F ÷ allowance + lockout minutes); N nodes: the allowance × N, the lockout unchanged'
        : 'the per-user allowance; N nodes allow N× this (the limiter counts per node)',
    },
    {
      id: `exhaust-${id}-days`,
      title: `${m.policy.title}: time to exhaust the 10^6 code space for one user, one node`,
      value: exhaustDays,
      unit: 'days',
      note: `10^6 ÷ ${rate.toFixed(3)} guesses/min`,
    },
    {
      id: `first-success-${id}-days`,
      title: `${m.policy.title}: expected time to a first lucky guess, one node`,
      value: firstDays,
      unit: 'days',
      note: `10^6 ÷ ${CODES_ACCEPTED} codes accepted at once (±1 step) ÷ the rate`,
    },
  );
  return out;
}

/** The brute-force figures (no timed cases). */
export const bruteForceSuite: BenchSuite = {
  id: 'brute-force',
  title:
    'brute force: measured per-user / per-IP allowances and lockout of a real host, time to exhaust the 10^6 code space',
  iterations: 0,
  maxMs: 120_000,
  setup() {
    const dir = mkdtempSync(join(tmpdir(), 'securemfa-bench-brute-'));
    return {
      cases: [],
      figures: async () => {
        const figures: BenchFigure[] = [];
        for (const policy of POLICIES) figures.push(...figuresOf(await measure(policy, dir)));
        return figures;
      },
      teardown: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};
