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

/**
 * A measured number that is not an operation rate: a latency percentile, a time to exhaust a
 * code space, a memory trend. Suites hand them to the report through `SuiteFixture.figures`.
 */
export interface BenchFigure {
  /** Stable id within the suite (`[a-z0-9-]+`), referenced by the report's figure list. */
  id: string;
  title: string;
  value: number;
  /** Unit shown after the value: `ms`, `req/s`, `days`, `MiB/min`… */
  unit: string;
  /** The figure should be at most / at least this (reported as met / not met). */
  target?: { op: '<=' | '>='; value: number };
  /** Set by the runner from `target`. */
  met?: boolean;
  /**
   * The run fails (exit code 1, after the report is written) when this figure misses its
   * target: a property, not a speed (the soak's errors and memory trend).
   */
  required?: boolean;
  /** How it was measured or computed, in one sentence. */
  note?: string;
}

/** What a suite's setup hands the runner. */
export interface SuiteFixture {
  /** Timed cases (may be empty for a suite that only reports figures). */
  cases: readonly BenchCase[];
  /**
   * Figures of the suite, asked for after the timed cases ran and before teardown (a suite that
   * measures its own way — a soak, a brute-force run — does its work here).
   */
  figures?: () => readonly BenchFigure[] | Promise<readonly BenchFigure[]>;
  /** Release what setup acquired (servers, files). Called even when a case throws. */
  teardown?: () => void | Promise<void>;
}

/** What the CLI tells every suite's setup. */
export interface RunContext {
  /** `--soak-seconds` (default 600): how long a soak suite runs. */
  soakSeconds: number;
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
  /**
   * Measured operations per case (after warm-up), unless the time cap stops it first (at least
   * the runner's ROUNDS when the suite has cases; 0 for a suite of figures only).
   */
  iterations: number;
  /** Most milliseconds of measured time per case. */
  maxMs: number;
  /** Warm-up operations per case before measuring (default a tenth of `iterations`). */
  warmup?: number;
  /** Build the cases (and check they do what their titles say). */
  setup: (context: RunContext) => SuiteFixture | Promise<SuiteFixture>;
  ratios?: readonly BenchRatio[];
  /** Long-running (the soak): runs only with `--soak` / `--soak-seconds`, or when named by `--only`. */
  soak?: boolean;
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
  figures: BenchFigure[];
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

/** A suite that did not complete (its figures are missing from the report, and why). */
export interface SuiteFailure {
  id: string;
  title: string;
  /** The error's message (first line of its stack). */
  error: string;
}

/** One figure the issues ask for, as found (or not) in this run. */
export interface RequiredFigureRow {
  /** The issue that asks for it. */
  issue: number;
  title: string;
  /** What it should be (`≥ 0.8x`, `≤ 15 ms`), if the issue sets a target. */
  target?: string;
  /** Found: the value as shown (`0.93x`, `12.4 ms`), the suite and item it came from. */
  value?: string;
  /** Numeric value (ratio, or the figure's value in its unit). */
  raw?: number;
  met?: boolean;
  source?: string;
  /** Not found: why (not registered, not selected, failed, soak not run). */
  missing?: string;
}

/** Everything a run produced: what bench-report.json holds. */
export interface BenchReport {
  generatedAt: string;
  machine: MachineDescription;
  /** Arguments of the run (`--only`, `--soak`…), so runs can be compared like for like. */
  argv: string[];
  /** The figures the issues ask for, each with its value or why it is missing. */
  required: RequiredFigureRow[];
  suites: SuiteResult[];
  failures: SuiteFailure[];
}
