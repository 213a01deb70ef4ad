/**
 * A built CLI (`node <script> …`) as a real child process, the way the suites run every CLI:
 * the test's environment minus jest's VM flags and `SECUREMFA_CONFIG`, output collected as text,
 * every run bounded by a timeout (then SIGKILL), and every child tracked so that a suite's
 * `afterAll` can kill what a failed test left running ({@link killNodeScripts}).
 *
 * Tracking is per test file: jest gives each test file its own module registry.
 *
 * @example
 * ```ts
 * const r = await runNodeScript(BIN, ['config', 'check', '-c', file], { cwd: dir, timeoutMs: 30_000 });
 * expect([r.code, r.timedOut]).toEqual([0, false]);
 * afterAll(() => killNodeScripts());
 * ```
 *
 * @module testkit/processes/node-script
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Where and how a child runs. */
export interface NodeScriptOptions {
  cwd: string;
  /** Variables added to (or replacing) the inherited environment. */
  env?: Record<string, string>;
  /** Text fed to stdin, which is then closed; without it stdin is not connected at all. */
  stdin?: string;
}

/** A started child and the output it wrote so far. */
export interface NodeScriptChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
}

/**
 * Called after every chunk of output, with the child and all its output so far (to act on a
 * line the moment it appears: kill at a marker, signal once listening).
 */
export type NodeScriptWatcher = (stream: 'stdout' | 'stderr', running: NodeScriptChild) => void;

/** How a child that ran to its end ended. */
export interface NodeScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the timeout killed it. */
  timedOut: boolean;
}

/** Children started and not yet seen exiting. */
const live = new Set<ChildProcess>();

/**
 * The environment a child gets: the test's minus `NODE_OPTIONS` (jest's VM flags must not leak
 * into the CLI) and `SECUREMFA_CONFIG`, then `extra` (which may set either on purpose).
 *
 * @param extra - variables to add or replace
 */
export function nodeScriptEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.SECUREMFA_CONFIG;
  return { ...env, ...extra };
}

/**
 * Start `node <script> <args>` (tracked). The caller bounds its life: {@link runNodeScript} for a
 * run to the end, or a timeout of its own for a long-running one (`serve`).
 *
 * @param script - the script (a CLI's `dist/bin.js`)
 * @param args - its arguments
 * @param options - cwd, env additions, stdin text
 * @param watch - called after every chunk of output
 * @returns the child and its output so far
 */
export function spawnNodeScript(
  script: string,
  args: readonly string[],
  options: NodeScriptOptions,
  watch?: NodeScriptWatcher,
): NodeScriptChild {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: nodeScriptEnv(options.env),
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let err = '';
  const running: NodeScriptChild = { child, stdout: () => out, stderr: () => err };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    watch?.('stdout', running);
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    watch?.('stderr', running);
  });
  if (options.stdin !== undefined) {
    // A child that exits without reading its stdin makes the write fail (EPIPE): not our error.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.stdin);
  }
  return running;
}

/**
 * Run `node <script> <args>` to its end, killed (SIGKILL) when it overruns `timeoutMs`.
 *
 * @param script - the script (a CLI's `dist/bin.js`)
 * @param args - its arguments
 * @param options - cwd, env additions, stdin text, timeout
 * @param watch - called after every chunk of output
 * @returns exit code, signal, output, and whether the timeout killed it; rejects only when the
 *   child could not be spawned
 */
export function runNodeScript(
  script: string,
  args: readonly string[],
  options: NodeScriptOptions & { timeoutMs: number },
  watch?: NodeScriptWatcher,
): Promise<NodeScriptRun> {
  return new Promise((resolve, reject) => {
    const running = spawnNodeScript(script, args, options, watch);
    const { child } = running;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: running.stdout(), stderr: running.stderr(), timedOut });
    });
  });
}

/** Kill (SIGKILL) every child still running; for `afterAll`. */
export function killNodeScripts(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}
