// The farm race on the embedded store: separate OS processes (separate connections, as separate
// provider nodes on one host would have) act on the same SQLite file at the same instant.
// Exactly one accept of a code may win, every round; K×M concurrent failures count K×M.
// The workers are plain JS on core's built dist (fixtures/race-worker.mjs).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const core = join(here, '..');
const worker = join(here, 'fixtures', 'race-worker.mjs');
const dir = mkdtempSync(join(tmpdir(), 'securemfa-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let fileNo = 0;
const dbFile = (label: string): string => join(dir, `${label}-${(fileNo += 1)}.db`);

interface Worker {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the next JSON line the worker prints. */
  next(): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startWorker(task: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [worker, JSON.stringify(task)], { cwd: core });
  const queue: Record<string, unknown>[] = [];
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    buffer += c.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (w === undefined) queue.push(line);
      else w(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    exited,
    next: () =>
      new Promise((resolve, reject) => {
        const ready = queue.shift();
        if (ready !== undefined) return resolve(ready);
        const timer = setTimeout(
          () => reject(new Error(`worker silent; stderr: ${stderr}`)),
          45_000,
        );
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`worker exited with ${code}; stderr: ${stderr}`));
        });
        waiting.push((v) => {
          clearTimeout(timer);
          resolve(v);
        });
      }),
  };
}

/** Start workers, wait until every one is ready, release them at one instant, collect results. */
async function runTogether(tasks: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const workers = tasks.map(startWorker);
  try {
    const ready = await Promise.all(workers.map((w) => w.next()));
    expect(ready).toEqual(tasks.map(() => ({ ready: true })));
    const startAt = Date.now() + 150;
    for (const w of workers) w.child.stdin.end(`${JSON.stringify({ startAt })}\n`);
    const done = await Promise.all(workers.map((w) => w.next()));
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual(tasks.map(() => 0));
    return done.map((d) => d.done as Record<string, unknown>);
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
  }
}

describe('SQLite farm race across processes', () => {
  it('core dist is built and not older than the store sources the workers exercise', () => {
    const stale: string[] = [];
    const check = (srcDir: string): void => {
      for (const f of readdirSync(join(core, 'src', srcDir))) {
        if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.startsWith('ad')) continue;
        const built = join(core, 'dist', srcDir, f.replace(/\.ts$/, '.js'));
        const src = join(core, 'src', srcDir, f);
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(src).mtimeMs) {
          stale.push(relative(core, built));
        }
      }
    };
    check('store');
    check(join('store', 'sql'));
    // When this fails, run `npm run build` (or `npx tsc -p tsconfig.build.json` in packages/core).
    expect(stale).toEqual([]);
  });

  it('4 processes × 3 attempts at the same step, 25 rounds: exactly one success per round', async () => {
    const path = dbFile('accept');
    const store = await openSqliteStore({ path });
    const rounds = Array.from({ length: 25 }, (_, i) => `Race${i}@Adatum.LabNet`);
    for (const upn of rounds) await store.enrol(upn, SECRET, new Date());
    const task = { dbPath: path, mode: 'accept', rounds, step: 59_000_123, attempts: 3, gapMs: 30 };

    const done = await runTogether(Array.from({ length: 4 }, () => task));

    const perProcess = done.map((d) => d.results as string[][]);
    for (let i = 0; i < rounds.length; i += 1) {
      const outcomes = perProcess.flatMap((p) => p[i]!);
      expect([i, outcomes.filter((o) => o === 'ok').length]).toEqual([i, 1]);
      expect([i, outcomes.filter((o) => o === 'reused').length]).toEqual([i, 4 * 3 - 1]);
      const rec = await store.get(rounds[i]!);
      expect([i, rec?.logoncount, rec?.laststep, rec?.logon]).toEqual([i, 1, 59_000_123, 1]);
    }
    await store.close();
  }, 60_000);

  it('4 processes × 100 concurrent recordFailure calls count exactly 400', async () => {
    const path = dbFile('fail');
    const store = await openSqliteStore({ path });
    const upn = 'failures@adatum.labnet';
    await store.enrol(upn, SECRET, new Date());

    const done = await runTogether(
      Array.from({ length: 4 }, () => ({ dbPath: path, mode: 'fail', upn, count: 100 })),
    );

    expect((await store.get(upn))?.failedlogoncount).toBe(400);
    // Every call saw its own increment: the counts each process saw rise strictly, and all
    // 400 values 1…400 were handed out exactly once across the processes.
    const seen = done.flatMap((d) => d.counts as number[]);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    await store.close();
  }, 60_000);

  it('4 processes enrolling the same 20 users at once leave exactly 20 records', async () => {
    const path = dbFile('enrol');
    await (await openSqliteStore({ path })).close();
    const upns = Array.from({ length: 20 }, (_, i) => `Same${i}@adatum.labnet`);

    await runTogether(Array.from({ length: 4 }, () => ({ dbPath: path, mode: 'enrol', upns })));

    const store = await openSqliteStore({ path, migrate: false });
    expect(await store.count()).toBe(20);
    expect((await store.list()).map((r) => r.upn)).toEqual(
      [...upns].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
    );
    await store.close();
  }, 60_000);

  it('4 processes creating the same new database at once: all succeed, the schema is made once', async () => {
    const path = dbFile('fresh');

    const done = await runTogether(
      Array.from({ length: 4 }, () => ({ dbPath: path, mode: 'open' })),
    );

    expect(done).toEqual(Array.from({ length: 4 }, () => ({ version: 2 })));
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(
      [1, 2],
    );
    db.close();
  }, 60_000);
});
