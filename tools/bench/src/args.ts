/**
 * Command-line arguments of the bench tool (`npm run bench -- --only totp`).
 *
 * @module bench
 */

/** Parsed arguments. */
export interface BenchArgs {
  /** Suite ids to run; empty = all. */
  only: string[];
  /** List the registered suites and exit. */
  list: boolean;
  help: boolean;
}

/** Usage text. */
export const USAGE = `usage: npm run bench -- [--only <id>[,<id>…]] [--list] [--help]

Runs the registered benchmarks, prints a table and writes bench-report.json and
bench-report.md in the current directory.

  --only <ids>  run only these suites (comma-separated, or repeat the option)
  --list        list the suites and exit
  --help        show this text`;

/**
 * Parse argv (without the node and script paths).
 *
 * @param argv - e.g. `['--only', 'totp']` or `['--only=totp,http']`
 * @returns the parsed arguments
 * @throws {TypeError} for an unknown option or a missing value (the CLI exits 2)
 * @example
 * ```ts
 * parseArgs(['--only', 'totp']).only; // ['totp']
 * ```
 */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { only: [], list: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--list') args.list = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[(i += 1)] : arg.slice('--only='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw new TypeError('--only needs a suite id (see --list)');
      }
      args.only.push(
        ...value
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      );
    } else {
      throw new TypeError(`unknown argument "${arg}"`);
    }
  }
  return args;
}
