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
  /** Run the soak suites too (`--soak`, or implied by `--soak-seconds`). */
  soak: boolean;
  /** How long the soak runs, in seconds (default {@link DEFAULT_SOAK_SECONDS}). */
  soakSeconds: number;
}

/** Default soak length: 10 minutes (issue 9). */
export const DEFAULT_SOAK_SECONDS = 600;
/** Shortest soak accepted (a trend needs samples). */
export const MIN_SOAK_SECONDS = 10;
/** Longest soak accepted: a day (every loop of the bench is bounded). */
export const MAX_SOAK_SECONDS = 86_400;

/** Usage text. */
export const USAGE = `usage: npm run bench -- [--only <id>[,<id>…]] [--soak] [--soak-seconds <n>] [--list] [--help]

Runs the registered benchmarks, prints a table and writes bench-report.json and
bench-report.md in the current directory: every figure the issues ask for (with its
target and whether it was met, or why it is missing), then each suite's measurements,
with a description of the machine.

  --only <ids>         run only these suites (comma-separated, or repeat the option)
  --soak               also run the soak (10 minutes of mixed logins, RSS sampled)
  --soak-seconds <n>   soak for n seconds instead (${MIN_SOAK_SECONDS}–${MAX_SOAK_SECONDS}); implies --soak
  --list               list the suites and exit
  --help               show this text

Exit codes: 0 every selected suite ran (a figure off its target is reported, not
fatal); 1 a suite failed; 2 usage error.`;

/**
 * Parse argv (without the node and script paths).
 *
 * @param argv - e.g. `['--only', 'totp']`, `['--only=totp,http']`, `['--soak-seconds', '60']`
 * @returns the parsed arguments
 * @throws {TypeError} for an unknown option or a missing value (the CLI exits 2)
 * @example
 * ```ts
 * parseArgs(['--only', 'totp']).only; // ['totp']
 * ```
 */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    only: [],
    list: false,
    help: false,
    soak: false,
    soakSeconds: DEFAULT_SOAK_SECONDS,
  };
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
    } else if (arg === '--soak') {
      args.soak = true;
    } else if (arg === '--soak-seconds' || arg.startsWith('--soak-seconds=')) {
      const value = arg === '--soak-seconds' ? argv[(i += 1)] : arg.slice('--soak-seconds='.length);
      const n = Number(value);
      if (
        value === undefined ||
        !/^\d+$/.test(value) ||
        n < MIN_SOAK_SECONDS ||
        n > MAX_SOAK_SECONDS
      ) {
        throw new TypeError(
          `--soak-seconds needs a whole number of seconds ${MIN_SOAK_SECONDS}–${MAX_SOAK_SECONDS}, got ${value === undefined ? 'nothing' : `"${value}"`}`,
        );
      }
      args.soak = true;
      args.soakSeconds = n;
    } else {
      throw new TypeError(`unknown argument "${arg}"`);
    }
  }
  return args;
}
