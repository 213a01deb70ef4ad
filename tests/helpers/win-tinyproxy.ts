// A real HTTP proxy for the win-otp proxy suite: tinyproxy (Debian package tinyproxy) in the
// foreground on 127.0.0.1, its own config, log and pid file in the suite's folder. Missing
// tinyproxy is a FAILED suite, never a skip. stop() kills exactly the process it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedPort, isListening } from '@securemfa/testkit';

/** A running tinyproxy. */
export interface Tinyproxy {
  host: string;
  port: number;
  /** Its log so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Start tinyproxy listening on 127.0.0.1 (allowing only 127.0.0.1).
 *
 * @param dir - folder for its config, log and pid file
 * @returns the proxy; stop it in afterAll
 */
export async function startTinyproxy(dir: string): Promise<Tinyproxy> {
  const port = await closedPort();
  const conf = join(dir, 'tinyproxy.conf');
  const logFile = join(dir, 'tinyproxy.log');
  await writeFile(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'Allow 127.0.0.1',
      'MaxClients 20',
      `LogFile "${logFile}"`,
      'LogLevel Connect',
      `PidFile "${join(dir, 'tinyproxy.pid')}"`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess;
  try {
    child = spawn('tinyproxy', ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`tinyproxy could not be started (apt-get install tinyproxy): ${String(err)}`);
  }
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const deadline = Date.now() + 10_000;
  while (!(await isListening(port))) {
    if (spawnError !== undefined || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `tinyproxy did not start on 127.0.0.1:${port} (is it installed? apt-get install tinyproxy): ${spawnError?.message ?? output}`,
      );
    }
    await sleep(50);
  }
  return {
    host: '127.0.0.1',
    port,
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}
