/**
 * The bench CLI: argument handling, suite selection, console output, report files.
 *
 * @module bench
 */
import { parseArgs, USAGE } from './args.js';
import { describeMachine } from './machine.js';
import { suites } from './registry.js';
import { formatSuiteTable, writeReports } from './report.js';
import { runSuite } from './runner.js';
import type { BenchArgs } from './args.js';
import type { BenchReport, BenchSuite } from './types.js';

/**
 * Run the CLI: `--only <id>` selects suites, `--list` lists them. Prints a table per suite and
 * writes bench-report.json and bench-report.md in `outDir`.
 *
 * @param argv - arguments after the script path
 * @param registered - the suites to choose from (default: the registry)
 * @param outDir - where the reports go (default: the current directory)
 * @returns the exit code: 0 when every selected suite ran (a ratio below its target is reported,
 *   not fatal: timings vary between machines), 1 when a suite failed, 2 for a usage error
 * @example
 * ```ts
 * process.exitCode = await main(['--only', 'totp']);
 * ```
 */
export async function main(
  argv: readonly string[],
  registered: readonly BenchSuite[] = suites,
  outDir: string = process.cwd(),
): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.list) {
    for (const s of registered) process.stdout.write(`${s.id.padEnd(12)} ${s.title}\n`);
    return 0;
  }
  const unknown = args.only.filter((id) => !registered.some((s) => s.id === id));
  if (unknown.length > 0) {
    process.stderr.write(
      `error: unknown suite ${unknown.map((id) => `"${id}"`).join(', ')}; ` +
        `registered: ${registered.map((s) => s.id).join(', ')}\n`,
    );
    return 2;
  }
  const selected =
    args.only.length === 0 ? registered : registered.filter((s) => args.only.includes(s.id));

  const machine = describeMachine();
  process.stdout.write(
    `machine: ${machine.os} ${machine.arch}, ${machine.cpuModel} × ${machine.cpuCount}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage1m}\n\n`,
  );
  const report: BenchReport = { generatedAt: new Date().toISOString(), machine, suites: [] };
  let failed = false;
  for (const suite of selected) {
    try {
      const result = await runSuite(suite);
      report.suites.push(result);
      process.stdout.write(`${formatSuiteTable(result)}\n\n`);
    } catch (err) {
      failed = true;
      process.stderr.write(
        `suite "${suite.id}" failed: ${(err as Error).stack ?? String(err)}\n\n`,
      );
    }
  }
  const [json, md] = await writeReports(report, outDir);
  process.stdout.write(`wrote ${json}\nwrote ${md}\n`);
  return failed ? 1 : 0;
}
