// The farm race on the embedded store: separate OS processes (separate connections) submit the
// same code for the same user at the same instant; exactly one may win, every round.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openSqliteStore } from '../src/store/sqlite.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const worker = join(here, 'fixtures', 'sqlite-race-worker.mjs');
const dir = mkdtempSync(join(tmpdir(), 'securemfa-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runWorker(dbPath: string, plan: unknown): Promise<{ accepted: number[]; failures: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [worker, dbPath, JSON.stringify(plan)], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`worker failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim()));
    });
  });
}

describe('SQLite farm race across processes', () => {
  it('built dist is present for the worker processes', () => {
    expect(existsSync(join(here, '..', 'dist', 'store', 'sqlite.js'))).toBe(true);
  });

  it('4 processes × 3 concurrent attempts, 25 rounds: exactly one success per round; 4 × 50 failures count 200', async () => {
    const path = join(dir, 'race.db');
    const store = await openSqliteStore({ path });
    const rounds = 25;
    const processes = 4;
    const start = Date.now() + 1500; // time for the workers to start
    const plan = {
      step: 123456,
      attempts: 3,
      failures: 50,
      failUpn: 'failures@adatum.labnet',
      rounds: Array.from({ length: rounds }, (_, i) => ({ upn: `race${i}@adatum.labnet`, startAt: start + i * 40 })),
    };
    for (const r of plan.rounds) await store.enrol(r.upn, 'JBSWY3DPEHPK3PXP', new Date());
    await store.enrol(plan.failUpn, 'JBSWY3DPEHPK3PXP', new Date());

    const results = await Promise.all(Array.from({ length: processes }, () => runWorker(path, plan)));

    for (let i = 0; i < rounds; i += 1) {
      const winners = results.filter((r) => r.accepted.includes(i)).length;
      expect([i, winners]).toEqual([i, 1]);
      const rec = await store.get(plan.rounds[i]!.upn);
      expect([i, rec?.logoncount, rec?.laststep]).toEqual([i, 1, plan.step]);
    }
    expect((await store.get(plan.failUpn))?.failedlogoncount).toBe(processes * plan.failures);
    await store.close();
  }, 90_000);
});
