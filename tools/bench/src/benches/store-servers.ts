/**
 * The real servers the store benches run against, started by the scripts of tools/testenv (the
 * same ones the integration tests use, with a lease so a running server is shared and stopped
 * only by whoever started it): PostgreSQL (`postgres.sh`) and the Samba AD DC (`samba-dc.sh`,
 * needs root). A server that cannot start fails the suite with the script's reason.
 *
 * @module bench
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** The env block a testenv script printed (`KEY=value` lines). */
export type ScriptEnv = ReadonlyMap<string, string>;

/** A started server: its env block and how to give the lease back. */
export interface LeasedServer {
  env: ScriptEnv;
  /** Value of one env key; throws when the script did not print it. */
  get(key: string): string;
  release(): Promise<void>;
}

const TESTENV = fileURLToPath(new URL('../../../testenv/', import.meta.url));

function run(script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      `${TESTENV}${script}`,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null)
          reject(new Error(`${script} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * Start (or reuse) a testenv server under a lease of this process.
 *
 * @param script - `postgres.sh` or `samba-dc.sh`
 * @param timeoutMs - bound for the start
 * @returns the env block and the release function
 */
export async function leaseServer(script: string, timeoutMs: number): Promise<LeasedServer> {
  const lease = `${process.pid}-bench${randomUUID().slice(0, 8)}`;
  const out = await run(script, ['start', '--lease', lease], timeoutMs);
  const env = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  let released = false;
  return {
    env,
    get(key) {
      const v = env.get(key);
      if (v === undefined) throw new Error(`${script} printed no ${key}`);
      return v;
    },
    async release() {
      if (released) return;
      released = true;
      await run(script, ['release', lease], 60_000);
    },
  };
}
