/**
 * Runs a suite: warm-up, then rounds in which every case runs a slice of its iterations in turn
 * (the order rotates each round), so a slow spell of the machine hits every case and the ratios
 * stay fair. Bounded twice: a fixed iteration count and a time cap per case.
 *
 * @module bench
 */
import type {
  BenchCase,
  BenchFigure,
  BenchRatio,
  BenchSuite,
  CaseResult,
  RatioResult,
  RunContext,
  SuiteResult,
} from './types.js';

/** The context a suite gets when the CLI gives none (tests, library use). */
export const DEFAULT_RUN_CONTEXT: RunContext = { soakSeconds: 600 };

const FIGURE_ID = /^[a-z0-9-]+$/;

/** Check a suite's figures and decide their targets. */
function checkFigures(suiteId: string, figures: readonly BenchFigure[]): BenchFigure[] {
  const seen = new Set<string>();
  return figures.map((f) => {
    if (!FIGURE_ID.test(f.id) || seen.has(f.id)) {
      throw new TypeError(`suite "${suiteId}": figure id "${f.id}" is malformed or repeated`);
    }
    seen.add(f.id);
    if (!Number.isFinite(f.value)) {
      throw new TypeError(
        `suite "${suiteId}": figure "${f.id}" is not a finite number (${f.value})`,
      );
    }
    if (f.target === undefined) return { ...f };
    const met = f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value;
    return { ...f, met };
  });
}

/** Rounds the measured iterations are split into. */
export const ROUNDS = 20;

const now = (): bigint => process.hrtime.bigint();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Run `fn` `count` times (awaiting when it is async); returns nanoseconds taken. */
async function timeLoop(fn: () => unknown, count: number, async: boolean): Promise<number> {
  const start = now();
  if (async) {
    for (let i = 0; i < count; i += 1) await fn();
  } else {
    for (let i = 0; i < count; i += 1) fn();
  }
  return Number(now() - start);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

interface Tally {
  benchCase: BenchCase;
  async: boolean;
  iterations: number;
  ns: number;
  /** ns per op of each round. */
  rounds: number[];
  capped: boolean;
}

function ratio(spec: BenchRatio, cases: readonly CaseResult[]): RatioResult {
  const num = cases.find((c) => c.id === spec.numerator);
  const den = cases.find((c) => c.id === spec.denominator);
  if (num === undefined || den === undefined) {
    throw new TypeError(
      `ratio "${spec.id}" names a case that does not exist (${spec.numerator} / ${spec.denominator})`,
    );
  }
  const value = num.opsPerSec / den.opsPerSec;
  const result: RatioResult = {
    id: spec.id,
    title: spec.title,
    numerator: spec.numerator,
    denominator: spec.denominator,
    value,
  };
  if (spec.target !== undefined) {
    result.target = spec.target;
    result.met = value >= spec.target;
  }
  return result;
}

/**
 * Measure every case of a suite, then collect its figures.
 *
 * @param suite - the suite
 * @param context - what the CLI tells the suite (soak duration)
 * @returns the measurements and ratios
 * @throws {TypeError} when the suite is malformed (no cases, bad counts, unknown ratio case)
 * @throws whatever setup or a case throws (teardown still runs)
 * @example
 * ```ts
 * const result = await runSuite(totpSuite);
 * console.log(result.ratios[0]?.value);
 * ```
 */
export async function runSuite(
  suite: BenchSuite,
  context: RunContext = DEFAULT_RUN_CONTEXT,
): Promise<SuiteResult> {
  if (!(suite.maxMs > 0)) throw new TypeError(`suite "${suite.id}": maxMs must be positive`);
  const fixture = await suite.setup(context);
  try {
    if (fixture.cases.length === 0 && fixture.figures === undefined) {
      throw new TypeError(`suite "${suite.id}" has no cases and no figures`);
    }
    if (
      fixture.cases.length > 0 &&
      (!Number.isInteger(suite.iterations) || suite.iterations < ROUNDS)
    ) {
      throw new TypeError(`suite "${suite.id}": iterations must be an integer ≥ ${ROUNDS}`);
    }
    const warmup = suite.warmup ?? Math.ceil(suite.iterations / 10);
    const perRound = Math.ceil(suite.iterations / ROUNDS);
    const capNs = suite.maxMs * 1e6;
    const tallies: Tally[] = [];
    for (const benchCase of fixture.cases) {
      const first = benchCase.fn();
      const async = isThenable(first);
      if (async) await first;
      // Warm-up (not counted), bounded by half the time cap.
      const warmStart = now();
      for (let warmed = 1; warmed < warmup && Number(now() - warmStart) < capNs / 2;) {
        const count = Math.min(perRound, warmup - warmed);
        await timeLoop(benchCase.fn, count, async);
        warmed += count;
      }
      tallies.push({ benchCase, async, iterations: 0, ns: 0, rounds: [], capped: false });
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      // Rotate the order so no case always runs first (or right after another).
      for (let k = 0; k < tallies.length; k += 1) {
        const tally = tallies[(round + k) % tallies.length];
        if (tally === undefined || tally.capped) continue;
        const count = Math.min(perRound, suite.iterations - tally.iterations);
        if (count <= 0) continue;
        const ns = await timeLoop(tally.benchCase.fn, count, tally.async);
        tally.iterations += count;
        tally.ns += ns;
        tally.rounds.push(ns / count);
        if (tally.ns >= capNs && tally.iterations < suite.iterations) tally.capped = true;
      }
    }
    const cases: CaseResult[] = tallies.map((t) => {
      const perOp = t.rounds.map((ns) => 1e9 / ns);
      const medianNs = median(t.rounds);
      return {
        id: t.benchCase.id,
        title: t.benchCase.title,
        iterations: t.iterations,
        totalMs: t.ns / 1e6,
        opsPerSec: 1e9 / medianNs,
        meanOpsPerSec: t.iterations / (t.ns / 1e9),
        nsPerOp: medianNs,
        minOpsPerSec: Math.min(...perOp),
        maxOpsPerSec: Math.max(...perOp),
        capped: t.capped,
      };
    });
    const ratios = (suite.ratios ?? []).map((spec) => ratio(spec, cases));
    const figures = checkFigures(suite.id, (await fixture.figures?.()) ?? []);
    return {
      id: suite.id,
      title: suite.title,
      iterations: suite.iterations,
      maxMs: suite.maxMs,
      rounds: cases.length > 0 ? ROUNDS : 0,
      cases,
      ratios,
      figures,
    };
  } finally {
    await fixture.teardown?.();
  }
}
