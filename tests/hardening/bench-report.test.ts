// The bench framework's report (issue 9, "bench report"): `--soak` / `--soak-seconds` parse and
// are bounded; a suite of figures only runs and its targets are judged; every figure the issues
// ask for appears in the report with its value — or with why it is missing (not registered, not
// selected, failed, soak not run); the Markdown carries the machine and that list; a required
// figure off its target fails the run (exit 1) after the report is written. Pure functions of
// the built tools/bench, plus one in-process run of its CLI on made-up suites in a temp folder.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHostMetrics } from '@securemfa/core/http';
import { parseArgs } from '../../tools/bench/dist/args.js';
import { main } from '../../tools/bench/dist/cli.js';
import { REQUIRED_FIGURES, requiredFigures, toMarkdown } from '../../tools/bench/dist/report.js';
import { runSuite } from '../../tools/bench/dist/runner.js';
import { suites } from '../../tools/bench/dist/registry.js';
import {
  HEAP_USED_METRIC,
  metricValue,
  minuteFloors,
  RSS_METRIC,
  slope,
} from '../../tools/bench/dist/benches/soak.js';
import type { BenchSuite, SuiteResult } from '../../tools/bench/dist/types.js';

// tests/jest.config.js sets 60 s, but a project's testTimeout is ignored when jest runs from the
// repository root (multi-project): set it here so both ways of running give the same bound.
jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardening-bench-'));
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const figuresOnly = (id: string, value: number, required = false): BenchSuite => ({
  id,
  title: `made-up ${id}`,
  iterations: 0,
  maxMs: 1000,
  ...(id === 'soak' ? { soak: true } : {}),
  setup: () => ({
    cases: [],
    figures: () => [
      { id: 'errors', title: 'errors', value, unit: '', target: { op: '<=', value: 0 }, required },
      {
        id: 'rss-growth-mib',
        title: 'growth',
        value: 1.5,
        unit: 'MiB',
        target: { op: '<=', value: 20 },
      },
    ],
  }),
});

describe('bench arguments', () => {
  it('--soak and --soak-seconds N (bounded, implies --soak); anything else is a usage error', () => {
    expect(parseArgs([])).toMatchObject({ soak: false, soakSeconds: 600 });
    expect(parseArgs(['--soak'])).toMatchObject({ soak: true, soakSeconds: 600 });
    expect(parseArgs(['--soak-seconds', '90'])).toMatchObject({ soak: true, soakSeconds: 90 });
    expect(parseArgs(['--soak-seconds=3600'])).toMatchObject({ soak: true, soakSeconds: 3600 });
    for (const bad of [
      ['--soak-seconds'],
      ['--soak-seconds', '5'],
      ['--soak-seconds', '1e3'],
      ['--soak-seconds', '999999'],
      ['--soak=1'],
    ]) {
      expect(() => parseArgs(bad)).toThrow(TypeError);
    }
  });
});

describe('runner and figures', () => {
  it('a suite of figures only runs, and each target is judged met or not', async () => {
    const ok = await runSuite(figuresOnly('soak', 0));
    expect(ok.cases).toEqual([]);
    expect(ok.figures.map((f) => [f.id, f.met])).toEqual([
      ['errors', true],
      ['rss-growth-mib', true],
    ]);
    const bad = await runSuite(figuresOnly('soak', 3));
    expect(bad.figures[0]).toMatchObject({ id: 'errors', value: 3, met: false });
  });

  it('a suite with neither cases nor figures, or a repeated figure id, is refused', async () => {
    await expect(
      runSuite({ id: 'x', title: 'x', iterations: 0, maxMs: 1, setup: () => ({ cases: [] }) }),
    ).rejects.toThrow(/no cases and no figures/);
    await expect(
      runSuite({
        id: 'x',
        title: 'x',
        iterations: 0,
        maxMs: 1,
        setup: () => ({
          cases: [],
          figures: () => [
            { id: 'a', title: 'a', value: 1, unit: '' },
            { id: 'a', title: 'a', value: 2, unit: '' },
          ],
        }),
      }),
    ).rejects.toThrow(/repeated/);
  });
});

describe('the figures the issues ask for', () => {
  it('the registry has the suites of this issue (brute-force, farm, soak marked --soak)', () => {
    const ids = suites.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['totp', 'accept', 'http', 'brute-force', 'farm', 'soak']),
    );
    expect(suites.find((s) => s.id === 'soak')?.soak).toBe(true);
    expect(REQUIRED_FIGURES.map((f) => f.issue)).toEqual(expect.arrayContaining([2, 3, 4, 7, 9]));
  });

  it('every required figure is a row: a value with its source, or the reason it is missing', () => {
    const ran: SuiteResult = {
      id: 'totp',
      title: 'totp',
      iterations: 20,
      maxMs: 1,
      rounds: 20,
      cases: [],
      ratios: [
        {
          id: 'verify-vs-raw',
          title: 'r',
          numerator: 'a',
          denominator: 'b',
          value: 0.91,
          target: 0.7,
          met: true,
        },
      ],
      figures: [],
    };
    const rows = requiredFigures(
      [ran],
      [
        { id: 'totp' },
        { id: 'accept' },
        { id: 'http' },
        { id: 'soak', soak: true },
        { id: 'farm' },
      ],
      [{ id: 'farm', title: 'farm', error: 'serve did not start' }],
      false,
    );
    expect(rows).toHaveLength(REQUIRED_FIGURES.length);
    const byTitle = (re: RegExp) => rows.find((r) => re.test(r.title))!;
    expect(byTitle(/TOTP worst-case/)).toMatchObject({
      value: '0.91x',
      met: true,
      source: 'totp / ratio verify-vs-raw',
    });
    expect(byTitle(/accept path ÷ bare SQLite/).missing).toMatch(/not selected/);
    expect(byTitle(/soak: errors/).missing).toMatch(/--soak/);
    expect(byTitle(/farm/).missing).toBe('suite farm failed: serve did not start');
    expect(byTitle(/PostgreSQL/).missing).toMatch(/not registered/);
    for (const r of rows) expect((r.value === undefined) !== (r.missing === undefined)).toBe(true);
  });

  it('the Markdown has the machine, the arguments and the list of required figures', () => {
    const md = toMarkdown({
      generatedAt: '2026-12-02T00:00:00.000Z',
      machine: {
        os: 'Linux 6',
        arch: 'x64',
        cpuModel: 'Xeon',
        cpuCount: 2,
        memoryGiB: 23.5,
        node: 'v20.20.2',
        v8: '11',
        openssl: '3',
        loadAverage1m: 0.5,
      },
      argv: ['--soak'],
      required: requiredFigures([], [], [], true),
      suites: [],
      failures: [],
    });
    expect(md).toContain('| CPU | Xeon × 2 |');
    expect(md).toContain('| arguments | --soak |');
    expect(md).toContain('## Figures the issues ask for');
    for (const f of REQUIRED_FIGURES) expect(md).toContain(f.title);
  });
});

/** The CLI's output, kept (not printed). */
const output: string[] = [];
const io = { out: (t: string) => void output.push(t), err: (t: string) => void output.push(t) };

describe('the bench CLI, in-process on made-up suites', () => {
  it('writes bench-report.json and .md; the soak runs only with --soak; a required figure off target exits 1', async () => {
    const registered = [figuresOnly('soak', 0, true), figuresOnly('brute-force', 0)];
    expect(await main([], registered, dir, io)).toBe(0);
    let json = JSON.parse(await readFile(join(dir, 'bench-report.json'), 'utf8'));
    expect(json.suites.map((s: { id: string }) => s.id)).toEqual(['brute-force']);
    expect(json.machine.cpuCount).toBeGreaterThan(0);
    expect(await main(['--soak-seconds', '10'], registered, dir, io)).toBe(0);
    json = JSON.parse(await readFile(join(dir, 'bench-report.json'), 'utf8'));
    expect(json.suites.map((s: { id: string }) => s.id)).toEqual(['soak', 'brute-force']);
    expect(json.argv).toEqual(['--soak-seconds', '10']);
    const failing = [figuresOnly('soak', 2, true)];
    expect(await main(['--soak'], failing, dir, io)).toBe(1);
    const md = await readFile(join(dir, 'bench-report.md'), 'utf8');
    expect(md).toMatch(/errors \| 2 \| target ≤ 0: NOT met/);
    expect(output.join('')).toContain('required figures off their targets: soak/errors');
    expect(await main(['--soak-seconds', 'x'], registered, dir, io)).toBe(2);
    expect(output.at(-1)).toMatch(
      /^error: --soak-seconds needs a whole number of seconds 10–86400/,
    );
  });
});

describe('soak leak test: the heap floor', () => {
  // samples every 5 s for 10 minutes: a garbage sawtooth (0–40 MiB above the floor)
  const series = (leakPerMin: number): { x: number; y: number }[] =>
    Array.from({ length: 120 }, (_, i) => {
      const x = i / 12;
      return { x, y: 60 + leakPerMin * x + ((i * 7) % 12) * (40 / 11) };
    });
  const growth = (points: { x: number; y: number }[]): number => slope(minuteFloors(points, 1)) * 9;

  it('takes the lowest sample of each minute after the warm-up', () => {
    const floors = minuteFloors(
      [
        { x: 0.2, y: 1 },
        { x: 1.1, y: 9 },
        { x: 1.6, y: 4 },
        { x: 2.3, y: 7 },
      ],
      1,
    );
    expect(floors).toEqual([
      { x: 1.5, y: 4 },
      { x: 2.5, y: 7 },
    ]);
  });

  it('sees no growth in garbage that is collected, and sees a leak of 2 MiB/min', () => {
    expect(Math.abs(growth(series(0)))).toBeLessThan(1);
    expect(growth(series(2))).toBeGreaterThan(15);
  });
});

describe('soak samples: the metric names the host really exports', () => {
  it('reads V8 used heap and RSS from the /metrics text of a host registry (process metrics on)', async () => {
    const text = await createHostMetrics({ processMetrics: true }).registry.metrics();
    const heap = metricValue(text, HEAP_USED_METRIC);
    const rss = metricValue(text, RSS_METRIC);
    expect(heap).toBeGreaterThan(1024 * 1024);
    expect(rss).toBeGreaterThan(heap ?? 0);
  });

  it('takes the sample line by its whole name only', () => {
    const text = `# HELP x\nsecuremfa_nodejs_heap_size_used_bytes_extra 9\nsecuremfa_nodejs_heap_size_used_bytes 42\n`;
    expect(metricValue(text, HEAP_USED_METRIC)).toBe(42);
    expect(metricValue('nodejs_heap_size_used_bytes 42\n', HEAP_USED_METRIC)).toBeUndefined();
  });
});
