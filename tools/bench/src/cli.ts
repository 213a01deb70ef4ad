/**
 * The bench CLI: argument handling, suite selection, console output, report files.
 *
 * @module bench
 */
import { parseArgs, USAGE } from './args.js';
import { describeMachine } from './machine.js';
import { suites } from './registry.js';
import { formatSuiteTable, requiredFigures, writeReports } from './report.js';
import { runSuite } from './runner.js';
import type { BenchArgs } from './args.js';
import type { BenchReport, BenchSuite, RunContext } from './types.js';

/** Where the CLI writes (injected by tests). */
export interface BenchIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: BenchIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/**
 * Run the CLI: `--only <id>` selects suites, `--list` lists them, `--soak` / `--soak-seconds`
 * add the soak. Prints a table per suite and the figures the issues ask for, and writes
 * bench-report.json and bench-report.md in `outDir`.
 *
 * @param argv - arguments after the script path
 * @param registered - the suites to choose from (default: the registry)
 * @param outDir - where the reports go (default: the current directory)
 * @param io - where the tables and messages go (default: stdout and stderr)
 * @returns the exit code: 0 when every selected suite ran (a ratio below its target is reported,
 *   not fatal: timings vary between machines), 1 when a suite failed or a required figure (the
 *   soak's errors and memory trend) missed its target, 2 for a usage error
 * @example
 * ```ts
 * process.exitCode = await main(['--only', 'totp']);
 * ```
 */
export async function main(
  argv: readonly string[],
  registered: readonly BenchSuite[] = suites,
  outDir: string = process.cwd(),
  io: BenchIo = processIo,
): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.err(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (args.list) {
    for (const s of registered) {
      io.out(`${s.id.padEnd(14)} ${s.soak === true ? '(--soak) ' : ''}${s.title}\n`);
    }
    return 0;
  }
  const unknown = args.only.filter((id) => !registered.some((s) => s.id === id));
  if (unknown.length > 0) {
    io.err(
      `error: unknown suite ${unknown.map((id) => `"${id}"`).join(', ')}; ` +
        `registered: ${registered.map((s) => s.id).join(', ')}\n`,
    );
    return 2;
  }
  // A soak runs only when asked for: --soak / --soak-seconds, or named by --only.
  const selected =
    args.only.length === 0
      ? registered.filter((s) => s.soak !== true || args.soak)
      : registered.filter((s) => args.only.includes(s.id));
  const context: RunContext = { soakSeconds: args.soakSeconds };

  const machine = describeMachine();
  io.out(
    `machine: ${machine.os} ${machine.arch}, ${machine.cpuModel} × ${machine.cpuCount}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage1m}\n\n`,
  );
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine,
    argv: [...argv],
    required: [],
    suites: [],
    failures: [],
  };
  for (const suite of selected) {
    try {
      const result = await runSuite(suite, context);
      report.suites.push(result);
      io.out(`${formatSuiteTable(result)}\n\n`);
    } catch (err) {
      report.failures.push({
        id: suite.id,
        title: suite.title,
        error: err instanceof Error ? err.message.split('\n')[0]! : String(err),
      });
      io.err(`suite "${suite.id}" failed: ${(err as Error).stack ?? String(err)}\n\n`);
    }
  }
  report.required = requiredFigures(
    report.suites,
    registered,
    report.failures,
    args.soak || selected.some((s) => s.soak === true),
  );
  io.out('figures the issues ask for:\n');
  for (const r of report.required) {
    const status =
      r.missing !== undefined
        ? `not measured (${r.missing})`
        : `${r.value}${r.target === undefined ? '' : ` (target ${r.target}: ${r.met === undefined ? 'not checked' : r.met ? 'met' : 'NOT met'})`}`;
    io.out(`  [issue ${r.issue}] ${r.title}: ${status}\n`);
  }
  const missed = report.suites.flatMap((r) =>
    r.figures.filter((f) => f.required === true && f.met === false).map((f) => `${r.id}/${f.id}`),
  );
  if (missed.length > 0) {
    io.err(`required figures off their targets: ${missed.join(', ')}\n`);
  }
  const failed = report.failures.length > 0 || missed.length > 0;
  const [json, md] = await writeReports(report, outDir);
  io.out(`wrote ${json}\nwrote ${md}\n`);
  return failed ? 1 : 0;
}
