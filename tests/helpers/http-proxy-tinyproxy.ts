// Debian's tinyproxy (/usr/bin/tinyproxy) as a real third-party forward proxy on 127.0.0.1:
// a temporary config (loopback only, no upstream, all CONNECT ports), run in the foreground
// (-d) as a child of the test, its log read from stdout. A free port is found by binding port 0
// and closing it; should tinyproxy lose that race it is retried on another port (bounded).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedPort, isListening } from '@securemfa/testkit';

/** Where Debian installs it. */
export const TINYPROXY = '/usr/bin/tinyproxy';

/** A running tinyproxy. */
export interface Tinyproxy {
  host: '127.0.0.1';
  port: number;
  /** Its log so far (stdout + stderr). */
  log(): string;
  /** `Request (file descriptor N): <line>` request lines logged so far. */
  requestLines(): string[];
  close(): Promise<void>;
}

async function startOnce(dir: string, port: number): Promise<Tinyproxy | undefined> {
  const conf = join(dir, `tinyproxy-${port}.conf`);
  await writeFile(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 15',
      'LogLevel Info',
      'MaxClients 20',
      'Allow 127.0.0.1',
      // Keep the Via header: the gateway side can see that a proxy forwarded the request.
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(TINYPROXY, ['-d', '-c', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return undefined;
    if (await isListening(port)) break;
    await sleep(25);
  }
  if (!(await isListening(port))) {
    child.kill('SIGKILL');
    await exited;
    return undefined;
  }
  return {
    host: '127.0.0.1',
    port,
    log: () => out,
    requestLines: () =>
      [...out.matchAll(/Request \(file descriptor \d+\): (.+)$/gm)].map((m) => m[1]!.trim()),
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Start tinyproxy on a free loopback port. Fails loudly when it is not installed.
 *
 * @param dir - a temporary folder for its config
 * @returns the running proxy (close it in afterAll)
 */
export async function startTinyproxy(dir: string): Promise<Tinyproxy> {
  if (!existsSync(TINYPROXY)) {
    throw new Error(`${TINYPROXY} not found: apt-get install -y tinyproxy`);
  }
  for (let i = 0; i < 3; i += 1) {
    const proxy = await startOnce(dir, await closedPort());
    if (proxy !== undefined) return proxy;
  }
  throw new Error('tinyproxy did not start listening on 127.0.0.1 in 3 tries');
}
