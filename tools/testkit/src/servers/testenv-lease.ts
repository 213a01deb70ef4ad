/**
 * The scripts of tools/testenv that start a real server for the tests (`samba-dc.sh`,
 * `postgres.sh`). Both print an env block (`KEY=value` lines) on `start` and hand out leases:
 * `start --lease ID` records a holder, `release ID` drops it, and the server stops when the last
 * holder leaves (unless someone started it by hand). Test files of every package share one
 * server that way.
 *
 * One lease per test file: jest gives each test file its own module registry, so the module-level
 * lease of each server helper belongs to one file.
 *
 * @module testkit/servers/testenv-lease
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** A script in tools/testenv that hands out leases. */
export type TestenvScript = 'samba-dc.sh' | 'postgres.sh';

/** The env block a script printed on `start`. */
export interface TestenvEnv {
  /** The value of `key`; throws (naming the script and the key) when the script did not print it. */
  get(key: string): string;
}

/** This test file's lease on one server. */
export interface TestenvLease {
  /**
   * Start (or reuse) the server and take the lease (again: taking it twice is one lease).
   * Rejects with the script's own reason (its stderr) when the server cannot start, so a suite
   * that needs the server fails loudly instead of skipping.
   *
   * @param extraArgs - more arguments of `start` (e.g. `--exclusive`)
   * @param timeoutMs - how long the start may take before the script is killed
   */
  start(extraArgs: readonly string[], timeoutMs: number): Promise<TestenvEnv>;
  /** Drop the lease (nothing to do when none is held). */
  release(): Promise<void>;
}

/** How long a `release` may take. */
const RELEASE_TIMEOUT_MS = 60_000;

/**
 * The path of a tools/testenv script.
 *
 * @param script - its file name
 */
export function testenvScriptPath(script: TestenvScript): string {
  return fileURLToPath(new URL(`../../../testenv/${script}`, import.meta.url));
}

function runScript(script: TestenvScript, args: string[], timeoutMs: number): Promise<string> {
  const path = testenvScriptPath(script);
  return new Promise((resolve, reject) => {
    execFile(
      path,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null) {
          reject(new Error(`${path} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

function parseEnv(script: TestenvScript, text: string): TestenvEnv {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  return {
    get(key) {
      const value = env.get(key);
      // Not the block itself in the message: it holds the admin password.
      if (value === undefined) throw new Error(`${script} printed no ${key}`);
      return value;
    },
  };
}

/**
 * A lease on the server of `script`. The lease ID is `<pid>-<random>`, the form the scripts
 * accept; a process that dies without releasing is pruned by the script.
 *
 * @param script - the tools/testenv script
 */
export function createTestenvLease(script: TestenvScript): TestenvLease {
  let id: string | undefined;
  return {
    async start(extraArgs, timeoutMs) {
      id ??= `${process.pid}-${randomUUID().slice(0, 8)}`;
      const out = await runScript(script, ['start', '--lease', id, ...extraArgs], timeoutMs);
      return parseEnv(script, out);
    },
    async release() {
      if (id === undefined) return;
      const held = id;
      id = undefined;
      await runScript(script, ['release', held], RELEASE_TIMEOUT_MS);
    },
  };
}
