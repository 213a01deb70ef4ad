/**
 * Run `securemfa-tools`: in-process through the program factory with injected I/O (fast; the
 * whole CLI including commander and the exit-code mapping), or as a real child process of the
 * built `dist/bin.js` (exit codes, signals, non-terminal stdin, a real crash) through testkit's
 * node-script (bounded, tracked children).
 */
import { fileURLToPath } from 'node:url';
import { killNodeScripts, nodeScriptEnv, runNodeScript } from '@securemfa/testkit';
import { memoryToolsIo, runSupportTools, type MemoryToolsIoOptions } from '../../src/index.js';

/** The built CLI. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** How a run ended. */
export interface ToolsRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Questions asked (in-process runs). */
  prompts: string[];
}

/**
 * Run in-process.
 *
 * @param args - the arguments after `securemfa-tools`
 * @param options - cwd, env, answers (pretend stdin is a terminal), stderrIsTty, clock
 */
export async function tools(args: string[], options: MemoryToolsIoOptions = {}): Promise<ToolsRun> {
  const io = memoryToolsIo(options);
  const code = await runSupportTools(['node', 'securemfa-tools', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr(), prompts: io.prompts() };
}

/** The environment a child gets: the test's, minus jest's VM flags and SECUREMFA_CONFIG. */
export const childEnv = nodeScriptEnv;

/** A child process run to its end. */
export interface ChildRun extends Omit<ToolsRun, 'prompts'> {
  signal: NodeJS.Signals | null;
}

/**
 * Run the built CLI as a child process, stdin not a terminal (closed or fed `stdin`).
 *
 * @param args - the arguments
 * @param options - cwd, env additions, stdin text, timeout (default 30 s; then SIGKILL)
 */
export async function spawnTools(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<ChildRun> {
  const r = await runNodeScript(BIN, args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env,
    stdin: options.stdin ?? '',
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Start the CLI as a child and SIGKILL it as soon as its stderr contains `marker`.
 *
 * @returns how it ended (signal SIGKILL when the marker was seen) and its output
 */
export async function spawnAndKillAt(
  args: string[],
  marker: string,
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildRun & { killedAtMarker: boolean }> {
  let killedAtMarker = false;
  const r = await runNodeScript(
    BIN,
    args,
    {
      cwd: options.cwd ?? process.cwd(),
      env: options.env,
      timeoutMs: options.timeoutMs ?? 60_000,
    },
    (stream, { child, stderr }) => {
      if (stream !== 'stderr' || killedAtMarker || !stderr().includes(marker)) return;
      killedAtMarker = true;
      child.kill('SIGKILL');
    },
  );
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr, killedAtMarker };
}

/** Kill children a failed test left running. */
export const killChildren = killNodeScripts;
