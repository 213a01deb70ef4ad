/**
 * The shapes of a benchmark: a suite measures several cases in the same run (interleaved, so
 * machine noise hits all of them alike) and may compare them as ratios with a target.
 *
 * @module bench
 */

/** One thing to measure. */
export interface BenchCase {
  /** Stable id, referenced by ratios (`[a-z0-9-]+`). */
  id: string;
  /** What one operation is, in words (shown in the report). */
  title: string;
  /**
   * One operation. Synchronous, or returning a promise (the runner awaits it: use that for HTTP
   * or database benches). Must not depend on being called a given number of times.
   */
  fn: () => unknown;
}

/** What a suite's setup hands the runner. */
export interface SuiteFixture {
  cases: readonly BenchCase[];
  /** Release what setup acquired (servers, files). Called even when a case throws. */
  teardown?: () => void | Promise<void>;
}

/** A comparison between two cases of a suite: numerator ops/s ÷ denominator ops/s. */
export interface BenchRatio {
  id: string;
  title: string;
  numerator: string;
  denominator: string;
  /** The ratio should be at least this (reported as met / not met; never fails the run). */
  target?: number;
}

/** A registered benchmark. */
export interface BenchSuite {
  /** Stable id, used by `--only` (`[a-z0-9-]+`). */
  id: string;
  title: string;
  /** Measured operations per case (after warm-up), unless the time cap stops it first. */
  iterations: number;
  /** Most milliseconds of measured time per case. */
  maxMs: number;
  /** Warm-up operations per case before measuring (default a tenth of `iterations`). */
  warmup?: number;
  /** Build the cases (and check they do what their titles say). */
  setup: () => SuiteFixture | Promise<SuiteFixture>;
  ratios?: readonly BenchRatio[];
}

/** Measurements of one case. */
export interface CaseResult {
  id: string;
  title: string;
  /** Operations measured (fewer than the suite's `iterations` when `capped`). */
  iterations: number;
  /** Measured time, milliseconds. */
  totalMs: number;
  /** Operations per second of the median round (robust to noise); the headline number. */
  opsPerSec: number;
  /** Operations per second over all rounds. */
  meanOpsPerSec: number;
  /** Nanoseconds per operation, median round. */
  nsPerOp: number;
  /** Fastest and slowest round, operations per second. */
  minOpsPerSec: number;
  maxOpsPerSec: number;
  /** The time cap stopped it before `iterations`. */
  capped: boolean;
}

/** A computed ratio. */
export interface RatioResult {
  id: string;
  title: string;
  numerator: string;
  denominator: string;
  value: number;
  target?: number;
  /** `value >= target`; undefined without a target. */
  met?: boolean;
}

/** Measurements of one suite. */
export interface SuiteResult {
  id: string;
  title: string;
  iterations: number;
  maxMs: number;
  rounds: number;
  cases: CaseResult[];
  ratios: RatioResult[];
}

/** The machine the numbers come from. */
export interface MachineDescription {
  os: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  /** Total memory, GiB (one decimal). */
  memoryGiB: number;
  node: string;
  v8: string;
  openssl: string;
  /** `os.loadavg()[0]` when the run started (0 on Windows). */
  loadAverage1m: number;
}

/** Everything a run produced: what bench-report.json holds. */
export interface BenchReport {
  generatedAt: string;
  machine: MachineDescription;
  suites: SuiteResult[];
}
