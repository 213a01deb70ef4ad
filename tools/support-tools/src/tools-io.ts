/**
 * The support tools' I/O: core's {@link CliIo} plus what interactive maintenance needs — whether
 * stdin and stderr are terminals (confirmations, progress bars), a one-line prompt, and the
 * clock (lockout is evaluated "now"). Injected, so tests run the whole CLI in-process.
 *
 * @module tools-io
 */
import { createInterface } from 'node:readline';
import { memoryIo, processIo, type CliIo } from '@securemfa/core/cli';

/** What a support-tools command may touch outside itself. */
export interface ToolsIo extends CliIo {
  /** True when stdin is a terminal: confirmations may be asked. */
  readonly stdinIsTty: boolean;
  /** True when stderr is a terminal: progress bars are drawn there. */
  readonly stderrIsTty: boolean;
  /** Columns of the stderr terminal (progress bar width); undefined when not a terminal. */
  readonly columns: number | undefined;
  /**
   * Print `question` on stderr and read one line from stdin.
   *
   * @returns the line without its newline; '' at end of input
   */
  prompt(question: string): Promise<string>;
  /** The current time (lockout state, export stamps). */
  now(): Date;
}

/** The real process I/O. */
export function processToolsIo(): ToolsIo {
  const base = processIo();
  return {
    ...base,
    stdinIsTty: process.stdin.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    columns: process.stderr.isTTY === true ? process.stderr.columns : undefined,
    now: () => new Date(),
    prompt: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({
          input: process.stdin,
          output: process.stderr,
          terminal: true,
        });
        let answered = false;
        rl.question(question, (answer) => {
          answered = true;
          rl.close();
          resolve(answer);
        });
        rl.once('close', () => {
          // Ctrl-D / end of input: no answer, which every caller treats as "no".
          if (!answered) {
            process.stderr.write('\n');
            resolve('');
          }
        });
      }),
  };
}

/** Options of {@link memoryToolsIo}. */
export interface MemoryToolsIoOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
  /** Pretend stdin is a terminal and answer prompts with these lines, in order. */
  answers?: string[];
  /** Pretend stderr is a terminal (progress bars are drawn into the captured stderr). */
  stderrIsTty?: boolean;
  /** The clock (default: the real time). */
  now?: () => Date;
}

/**
 * In-memory I/O for tests: captures stdout and stderr, answers prompts from a list.
 *
 * @param options - environment, working directory, answers, clock
 * @returns the I/O plus `stdout()`, `stderr()` and `prompts()` (the questions asked)
 */
export function memoryToolsIo(
  options: MemoryToolsIoOptions = {},
): ToolsIo & { stdout(): string; stderr(): string; prompts(): string[] } {
  const base = memoryIo({
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdin: options.stdin ?? '',
  });
  const answers = [...(options.answers ?? [])];
  const asked: string[] = [];
  return {
    ...base,
    stdinIsTty: options.answers !== undefined,
    stderrIsTty: options.stderrIsTty === true,
    columns: options.stderrIsTty === true ? 80 : undefined,
    now: options.now ?? (() => new Date()),
    async prompt(question) {
      asked.push(question);
      base.err(question);
      return answers.shift() ?? '';
    },
    prompts: () => [...asked],
  };
}
