// Runs a provider CLI as a real child process (`node dist/bin.js …`) through testkit's
// node-script: bounded by a timeout (the child is killed when it overruns), every child tracked
// so a suite's afterAll can kill what is left. The environment is the test's minus
// SECUREMFA_CONFIG and NODE_OPTIONS (jest's VM flags must not leak into the CLI).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import {
  killNodeScripts,
  nodeScriptEnv,
  runNodeScript,
  spawnNodeScript,
  type NodeScriptRun,
} from '@securemfa/testkit';

/** The environment a CLI child gets. */
export const cliEnv = nodeScriptEnv;

/** How a finished CLI run ended. */
export type CliResult = NodeScriptRun;

/**
 * Run the CLI to completion.
 *
 * @param bin - the CLI script (dist/bin.js)
 * @param args - its arguments
 * @param options - cwd, env additions, timeout (default 30 s)
 * @returns exit code, signal, output
 */
export function runCli(
  bin: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  return runNodeScript(bin, args, { ...options, timeoutMs: options.timeoutMs ?? 30_000 });
}

/** A long-running CLI (serve) that printed its URL. */
export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` as printed. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Wait (bounded) until stdout matches; returns the match. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Send a signal and wait (bounded) for the exit. */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/**
 * Start `serve` and wait until it prints `listening on http://…:<port>`.
 *
 * @param bin - the CLI script
 * @param args - arguments (serve …)
 * @param options - cwd, env additions, how long to wait for the URL (default 20 s)
 * @returns the process and its URL
 */
export function startServe(
  bin: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const running = spawnNodeScript(bin, args, options, (stream) => {
      if (stream !== 'stdout' || settled) return;
      const m = /listening on (https?:\/\/[^\s]+:(\d+))\s/.exec(running.stdout());
      if (m === null) return;
      settled = true;
      clearTimeout(timer);
      resolve(serveProcess(m[1]!));
    });
    const { child } = running;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\nstdout:\n${running.stdout()}\nstderr:\n${running.stderr()}`));
    };
    const timer = setTimeout(
      () => fail(`serve did not print its URL within ${options.timeoutMs ?? 20_000} ms`),
      options.timeoutMs ?? 20_000,
    );
    child.once('error', (e) => fail(`spawn failed: ${e.message}`));
    void exited.then(({ code, signal }) =>
      fail(`serve exited early (code ${code}, signal ${signal})`),
    );

    function serveProcess(url: string): ServeProcess {
      return {
        child,
        url,
        stdout: running.stdout,
        stderr: running.stderr,
        async waitForStdout(pattern, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const m = pattern.exec(running.stdout());
            if (m !== null) return m;
            if (Date.now() >= deadline || child.exitCode !== null || child.signalCode !== null) {
              throw new Error(
                `stdout never matched ${String(pattern)}:\n${running.stdout()}\n--- stderr\n${running.stderr()}`,
              );
            }
            await sleep(20);
          }
        },
        async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
          const t0 = Date.now();
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          let killer: NodeJS.Timeout | undefined;
          const timeout = new Promise<{ code: null; signal: 'TIMEOUT' }>((done) => {
            killer = setTimeout(() => {
              child.kill('SIGKILL');
              done({ code: null, signal: 'TIMEOUT' });
            }, timeoutMs);
          });
          const result = await Promise.race([exited, timeout]);
          clearTimeout(killer);
          return {
            ...(result as { code: number | null; signal: NodeJS.Signals | null }),
            ms: Date.now() - t0,
          };
        },
      };
    }
  });
}

/**
 * Start `serve` and send it a signal in the very callback that sees `listening on` (what a
 * supervisor or a script waiting for the line does), then wait (bounded) for the exit.
 *
 * @param bin - the CLI script
 * @param args - arguments (serve …)
 * @param options - cwd, signal (default SIGTERM), overall timeout (default 20 s)
 * @returns exit code, signal and output; `signal` 'TIMEOUT' when it had to be killed
 */
export async function signalWhenListening(
  bin: string,
  args: readonly string[],
  options: { cwd: string; signal?: NodeJS.Signals; timeoutMs?: number },
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  let signalled = false;
  const r = await runNodeScript(
    bin,
    args,
    { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 20_000 },
    (stream, { child, stdout }) => {
      if (stream !== 'stdout' || signalled || !/listening on /.test(stdout())) return;
      signalled = true;
      child.kill(options.signal ?? 'SIGTERM');
    },
  );
  return {
    code: r.code,
    signal: r.timedOut ? 'TIMEOUT' : r.signal,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/** Kill every child still running (afterAll). */
export const killAllChildren = killNodeScripts;
