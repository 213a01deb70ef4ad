/**
 * Run `securemfa-tools`: in-process through the program factory with injected I/O (fast; the
 * whole CLI including commander and the exit-code mapping), or as a real child process of the
 * built `dist/bin.js` (exit codes, signals, non-terminal stdin, a real crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

const live = new Set<ChildProcess>();

/** The environment a child gets: the test's, minus jest's VM flags and SECUREMFA_CONFIG. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.SECUREMFA_CONFIG;
  return { ...env, ...extra };
}

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
export function spawnTools(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin!.end(options.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Start the CLI as a child and SIGKILL it as soon as its stderr contains `marker`.
 *
 * @returns how it ended (signal SIGKILL when the marker was seen) and its output
 */
export function spawnAndKillAt(
  args: string[],
  marker: string,
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildRun & { killedAtMarker: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let killedAtMarker = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!killedAtMarker && stderr.includes(marker)) {
        killedAtMarker = true;
        child.kill('SIGKILL');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, killedAtMarker });
    });
  });
}

/** Kill children a failed test left running. */
export function killChildren(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}
