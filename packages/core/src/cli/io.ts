/**
 * The CLI's I/O, injected (otplib-cli's readStdinFn idea) so that tests run the whole CLI
 * in-process and read its output and exit code.
 *
 * @module cli
 */

/** What a CLI command may touch outside itself. */
export interface CliIo {
  /** Write to standard output (results, reports). */
  out(text: string): void;
  /** Write to standard error (warnings, errors, progress). */
  err(text: string): void;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory that relative paths resolve against. */
  readonly cwd: string;
  /** Read all of standard input (secrets piped in). */
  readStdin(): Promise<string>;
  /** True when stdout is a terminal (progress bars, colours). */
  readonly isTty: boolean;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); used by `serve`. */
  waitForStop(): Promise<string>;
}

/** The real process I/O. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTty: process.stdout.isTTY === true,
    async readStdin() {
      if (process.stdin.isTTY === true) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    waitForStop: () =>
      new Promise((resolve) => {
        const stop = (signal: string) => () => resolve(signal);
        process.once('SIGINT', stop('SIGINT'));
        process.once('SIGTERM', stop('SIGTERM'));
      }),
  };
}

/** In-memory I/O for tests: captures output, serves stdin from a string. */
export function memoryIo(
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    stdin?: string;
    stop?: Promise<string>;
  } = {},
): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTty: false,
    readStdin: async () => options.stdin ?? '',
    waitForStop: () => options.stop ?? new Promise<string>(() => {}),
    stdout: () => out,
    stderr: () => err,
  };
}
