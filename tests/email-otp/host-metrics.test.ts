// GET /metrics of e-mail OTP hosts after real sign-ins (DESIGN "HTTP provider host", docs/http-api.md
// "Health and metrics"): nodes on 127.0.0.1 (createProviderRuntime + createRuntimeHost, the code
// `serve` runs) sending through a real SMTP server in-process, through a closed port on 127.0.0.1
// and through a front that accepts and never greets. The Prometheus text, parsed, shows
// - securemfa_request_duration_seconds: a histogram with a count per phase (begin, end) equal to
//   the calls made, cumulative buckets ending in +Inf at that count, a positive sum;
// - securemfa_deliveries_total{channel="send"}: outcome "sent" per code mailed, outcome "failed"
//   per begin that ended `unavailable` (SMTP refused or silent, or no address for the user);
// - securemfa_logins_total by outcome.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { closedPort } from '@securemfa/testkit';
import { http, openHostedPage } from '../helpers/e2e-qr-host.js';
import {
  emailConfig,
  emailNodeJson,
  failureEvents,
  startEmailNode,
  type EmailNode,
} from '../helpers/smtp-email-node.js';
import {
  codeInMail,
  startSmtpFront,
  startSmtpServer,
  type SmtpFront,
  type TestSmtpServer,
} from '../helpers/smtp-server.js';

jest.setTimeout(30_000);

const LATENCY = 'securemfa_request_duration_seconds';
const DELIVERIES = 'securemfa_deliveries_total';
const LOGINS = 'securemfa_logins_total';

/** One sample line of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The metric families' TYPE lines and the sample lines of a /metrics body. */
function parseMetrics(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (m === null) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

/** A node's metrics, read over HTTP (no key needed). */
async function metricsOf(node: EmailNode) {
  const r = await http(`${node.base}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
  const parsed = parseMetrics(r.text);
  /** The value of the sample with exactly these labels; undefined when there is none. */
  const value = (name: string, labels: Record<string, string>): number | undefined => {
    const want = Object.entries(labels);
    return parsed.samples.find(
      (s) =>
        s.name === name &&
        Object.keys(s.labels).length === want.length &&
        want.every(([k, v]) => s.labels[k] === v),
    )?.value;
  };
  /** The histogram buckets of one phase, in order of `le`. */
  const buckets = (phase: string): Array<{ le: number; value: number }> =>
    parsed.samples
      .filter((s) => s.name === `${LATENCY}_bucket` && s.labels.phase === phase)
      .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value }))
      .sort((a, b) => a.le - b.le);
  return { ...parsed, value, buckets, text: r.text };
}

/** The histogram of `phase` holds exactly `count` observations, consistently. */
function expectHistogram(m: Awaited<ReturnType<typeof metricsOf>>, phase: string, count: number) {
  expect(m.types.get(LATENCY)).toBe('histogram');
  expect(m.value(`${LATENCY}_count`, { phase })).toBe(count);
  const sum = m.value(`${LATENCY}_sum`, { phase });
  expect(sum).toBeDefined();
  if (count > 0) expect(sum!).toBeGreaterThan(0);
  const b = m.buckets(phase);
  expect(b.length).toBeGreaterThan(1);
  expect(b.at(-1)).toEqual({ le: Infinity, value: count });
  for (let i = 1; i < b.length; i += 1) expect(b[i]!.value).toBeGreaterThanOrEqual(b[i - 1]!.value);
}

let dir: string;
let smtp: TestSmtpServer;
let front: SmtpFront;
let good: EmailNode;
let refused: EmailNode;
let silent: EmailNode;
const nodes: EmailNode[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-email-metrics-'));
  smtp = await startSmtpServer();
  front = await startSmtpFront(smtp.port, 'hang');
  const downPort = await closedPort();
  const start = async (port: number, extra: Record<string, string> = {}) => {
    const n = await startEmailNode(emailConfig(emailNodeJson(dir, port, extra)), {
      configDir: dir,
    });
    nodes.push(n);
    return n;
  };
  [good, refused, silent] = await Promise.all([
    start(smtp.port),
    start(downPort),
    start(front.port, { smtp_timeout_ms: '1000' }),
  ]);
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await front?.close();
  await smtp?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('/metrics after real sign-ins (SMTP delivers)', () => {
  const USERS = ['m.one@adatum.test', 'm.two@adatum.test', 'm.three@adatum.test'];

  it('before any sign-in: the families are declared, nothing is counted', async () => {
    const m = await metricsOf(good);
    expect(m.types.get(LATENCY)).toBe('histogram');
    expect(m.types.get(DELIVERIES)).toBe('counter');
    expect(m.types.get(LOGINS)).toBe('counter');
    expect(m.value(`${LATENCY}_count`, { phase: 'begin' })).toBeUndefined();
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'sent' })).toBeUndefined();
  });

  it('3 sign-ins and 1 wrong code: begin/end histogram counts 4/4, deliveries sent 4, logins success 3 and invalid_code 1', async () => {
    for (const [i, upn] of USERS.entries()) {
      const b = await good.begin(upn);
      expect(b.json.status).toBe('code_sent');
      const mails = await smtp.waitForMails(i + 1);
      const e = await good.end(b.json.context, codeInMail(mails[i]!));
      expect(e.json.ok).toBe(true);
    }
    const b = await good.begin('m.wrong@adatum.test');
    expect(b.json.status).toBe('code_sent');
    const [, , , mail] = await smtp.waitForMails(4);
    const code = codeInMail(mail!);
    const wrong = code.replace(/\d$/, (d) => String((Number(d) + 5) % 10));
    const e = await good.end(b.json.context, wrong);
    expect(e.json).toMatchObject({ ok: false, reason: 'invalid_code' });

    const m = await metricsOf(good);
    expectHistogram(m, 'begin', 4);
    expectHistogram(m, 'end', 4);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'sent' })).toBe(4);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'failed' })).toBeUndefined();
    expect(m.value(LOGINS, { outcome: 'success' })).toBe(3);
    expect(m.value(LOGINS, { outcome: 'invalid_code' })).toBe(1);
    expect(smtp.mails).toHaveLength(4);
  });

  it('a user without an e-mail address (begin ends unavailable, nothing mailed) counts as a failed delivery', async () => {
    const b = await good.begin('ADATUM\\no.mail');
    expect(b.json.status).toBe('unavailable');
    const m = await metricsOf(good);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'failed' })).toBe(1);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'sent' })).toBe(4);
    expectHistogram(m, 'begin', 5);
    expect(smtp.mails).toHaveLength(4);
  });
});

describe('/metrics when delivery fails', () => {
  it('SMTP refused (closed port on 127.0.0.1): each begin is unavailable and counted failed, never sent; begin is timed, end never ran', async () => {
    for (const upn of ['f.one@adatum.test', 'f.two@adatum.test']) {
      const b = await refused.begin(upn);
      expect(b.status).toBe(200);
      expect(b.json.status).toBe('unavailable');
    }
    expect((await failureEvents(refused.log)).map((r) => r.reason)).toEqual([
      'ERR_CHANNEL_UNREACHABLE',
      'ERR_CHANNEL_UNREACHABLE',
    ]);
    const m = await metricsOf(refused);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'failed' })).toBe(2);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'sent' })).toBeUndefined();
    expectHistogram(m, 'begin', 2);
    expect(m.value(`${LATENCY}_count`, { phase: 'end' })).toBeUndefined();
    expect(m.value(LOGINS, { outcome: 'success' })).toBeUndefined();
  });

  it('the hosted page counts its failed deliveries too: GET /mfa on the refused node adds one failed, no sent', async () => {
    const before = await metricsOf(refused);
    const failedBefore = before.value(DELIVERIES, { channel: 'send', outcome: 'failed' }) ?? 0;
    const page = await openHostedPage(refused.base, {
      secret: refused.runtime.config.adapter_api_key,
      audience: 'email-otp',
      upn: 'f.page@adatum.test',
      returnTo: 'https://app.example/back',
      state: 'st-metrics',
    });
    expect(page.status).toBe(200);
    const after = await metricsOf(refused);
    expect(after.value(DELIVERIES, { channel: 'send', outcome: 'failed' })).toBe(failedBefore + 1);
    expect(after.value(DELIVERIES, { channel: 'send', outcome: 'sent' })).toBeUndefined();
  });

  it('SMTP silent (accepts, never greets): begin ends unavailable within smtp_timeout_ms, counted failed, and the histogram saw it take about that long', async () => {
    const t0 = performance.now();
    const b = await silent.begin('s.one@adatum.test');
    const ms = performance.now() - t0;
    expect(b.json.status).toBe('unavailable');
    expect(ms).toBeLessThan(5000);
    const m = await metricsOf(silent);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'failed' })).toBe(1);
    expect(m.value(DELIVERIES, { channel: 'send', outcome: 'sent' })).toBeUndefined();
    expectHistogram(m, 'begin', 1);
    // The one observation took at least the SMTP timeout (1 s): it is not in the buckets below 1.
    expect(m.value(`${LATENCY}_sum`, { phase: 'begin' })!).toBeGreaterThanOrEqual(0.9);
    const below = m.buckets('begin').filter((x) => x.le < 0.9);
    expect(below.every((x) => x.value === 0)).toBe(true);
  });
});
