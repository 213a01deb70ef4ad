// Runs a provider CLI as a real child process (`node dist/bin.js …`): bounded by a timeout (the
// child is killed when it overruns), every child tracked so a suite's afterAll can kill what is
// left. The environment is the test's minus SECUREMFA_CONFIG and NODE_OPTIONS (jest's VM flags
// must not leak into the CLI).
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Children started and not yet seen exiting. */
const live = new Set<ChildProcess>();

/** The environment a CLI child gets. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.SECUREMFA_CONFIG;
  delete env.NODE_OPTIONS;
  return env;
}

/** How a finished CLI run ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the timeout killed it. */
  timedOut: boolean;
}

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

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
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
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
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let out = '';
    let err = '';
    let settled = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\nstdout:\n${out}\nstderr:\n${err}`));
    };
    const timer = setTimeout(
      () => fail(`serve did not print its URL within ${options.timeoutMs ?? 20_000} ms`),
      options.timeoutMs ?? 20_000,
    );
    child.once('error', (e) => fail(`spawn failed: ${e.message}`));
    void exited.then(({ code, signal }) =>
      fail(`serve exited early (code ${code}, signal ${signal})`),
    );
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (https?:\/\/[^\s]+:(\d+))\s/.exec(out);
      if (m !== null && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          stdout: () => out,
          stderr: () => err,
          async waitForStdout(pattern, timeoutMs = 10_000) {
            const deadline = Date.now() + timeoutMs;
            for (;;) {
              const m = pattern.exec(out);
              if (m !== null) return m;
              if (Date.now() >= deadline || child.exitCode !== null || child.signalCode !== null) {
                throw new Error(
                  `stdout never matched ${String(pattern)}:\n${out}\n--- stderr\n${err}`,
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
        });
      }
    });
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
export function signalWhenListening(
  bin: string,
  args: readonly string[],
  options: { cwd: string; signal?: NodeJS.Signals; timeoutMs?: number },
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let out = '';
    let err = '';
    let signalled = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!signalled && /listening on /.test(out)) {
        signalled = true;
        child.kill(options.signal ?? 'SIGTERM');
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal: timedOut ? 'TIMEOUT' : signal, stdout: out, stderr: err });
    });
  });
}

/** Kill every child still running (afterAll). */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}
