// The shared SQL store's own logic, over a scripted executor (no database): what it prepares,
// how many statements each path runs, how it explains and retries a refused accept.
import { describe, expect, it } from '@jest/globals';
import { sqliteDialect } from './dialect.js';
import type { SqlRow } from './rows.js';
import { SqlUserStore, type SqlExecutor, type SqlStatement } from './sql-user-store.js';
import { buildStatements } from './statements.js';

const t = new Date('2026-03-01T08:00:00.000Z');
const texts = buildStatements(sqliteDialect);
type Name = keyof typeof texts;
const nameOf = new Map(Object.entries(texts).map(([k, v]) => [v, k as Name]));

/** A row of RECORD_COLUMNS with overrides by index. */
function row(over: Partial<Record<number, unknown>> = {}): SqlRow {
  const base: unknown[] = [
    'a@x.test',
    'S',
    1,
    0,
    null,
    0,
    0,
    null,
    null,
    null,
    null,
    10,
    null,
    null,
    t.getTime(),
  ];
  for (const [i, v] of Object.entries(over)) base[Number(i)] = v;
  return base;
}

class Script implements SqlExecutor {
  prepared: Name[] = [];
  calls: { name: Name; args: readonly unknown[] }[] = [];
  closes = 0;
  constructor(
    private readonly answers: Partial<Record<Name, (args: readonly unknown[]) => unknown>>,
  ) {}
  prepare(sql: string): SqlStatement {
    const name = nameOf.get(sql);
    if (name === undefined) throw new Error(`unexpected statement ${sql}`);
    this.prepared.push(name);
    const answer = (args: readonly unknown[]): unknown => {
      this.calls.push({ name, args });
      return this.answers[name]?.(args);
    };
    return {
      one: (args) => answer(args) as SqlRow | undefined,
      all: (args) => (answer(args) as SqlRow[] | undefined) ?? [],
      run: (args) => (answer(args) as number | undefined) ?? 0,
    };
  }
  async close(): Promise<void> {
    this.closes += 1;
  }
}

describe('SqlUserStore', () => {
  it('prepares every statement once, at construction, and none per call', async () => {
    const exec = new Script({ accept: () => row({ 11: 11 }) });
    const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
    expect([...exec.prepared].sort()).toEqual(Object.keys(texts).sort());
    await store.acceptCode('a@x.test', 11, {}, t, { allowReuse: false });
    await store.acceptCode('a@x.test', 12, {}, t, { allowReuse: false });
    expect(exec.prepared).toHaveLength(Object.keys(texts).length);
  });

  it('a successful accept is one statement with the sanitised meta bound', async () => {
    const exec = new Script({ accept: () => row({ 11: 11, 3: 1 }) });
    const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
    const res = await store.acceptCode(
      ' A@X.test ',
      11,
      { ip: ' ::1 ', userAgent: 'u\u0000a' },
      t,
      {
        allowReuse: false,
      },
    );
    expect(res).toMatchObject({ ok: true, record: { laststep: 11, logon: 1 } });
    expect(exec.calls).toEqual([
      { name: 'accept', args: [11, t.getTime(), '::1', 'ua', 'a@x.test', 11] },
    ]);
  });

  it('picks the statement variant for allowReuse and lockout, binding the lockout values', async () => {
    const exec = new Script({});
    const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
    const lockout = { maxFailures: 5, lastFailureAfter: new Date(t.getTime() - 60_000) };
    await store.acceptCode('a@x.test', 1, {}, t, { allowReuse: true });
    await store.acceptCode('a@x.test', 1, {}, t, { allowReuse: false, lockout });
    await store.acceptCode('a@x.test', 1, {}, t, { allowReuse: true, lockout });
    const accepts = exec.calls.filter((c) => c.name !== 'get');
    expect(accepts.map((c) => c.name)).toEqual([
      'acceptReuse',
      'acceptLockout',
      'acceptReuseLockout',
    ]);
    expect(accepts[1]?.args.slice(6)).toEqual([5, t.getTime() - 60_000]);
  });

  it('explains a refused accept from the row read afterwards', async () => {
    const cases: [SqlRow | undefined, string][] = [
      [undefined, 'not_found'],
      [row({ 2: 0 }), 'disabled'],
      [row({ 11: 20 }), 'reused'],
      [row({ 6: 5, 7: t.getTime() }), 'locked'],
    ];
    for (const [current, reason] of cases) {
      const exec = new Script({ get: () => current });
      const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
      const lockout = { maxFailures: 5, lastFailureAfter: new Date(t.getTime() - 60_000) };
      const res = await store.acceptCode('a@x.test', 20, {}, t, { allowReuse: false, lockout });
      expect([reason, res.ok ? 'ok' : res.reason]).toEqual([reason, reason]);
    }
  });

  it('retries when the row changed between the UPDATE and the read, then reports a conflict', async () => {
    let attempt = 0;
    const flaky = new Script({
      acceptLockout: () => (++attempt === 2 ? row({ 11: 30 }) : undefined),
      get: () => row({ 11: 10 }),
    });
    const store = new SqlUserStore(flaky, sqliteDialect, 'sqlite', 'test.db');
    const lockout = { maxFailures: 5, lastFailureAfter: t };
    expect(
      await store.acceptCode('a@x.test', 30, {}, t, { allowReuse: false, lockout }),
    ).toMatchObject({
      ok: true,
    });
    const stuck = new Script({ get: () => row({ 11: 10 }) });
    const s2 = new SqlUserStore(stuck, sqliteDialect, 'sqlite', 'test.db');
    await expect(s2.acceptCode('a@x.test', 30, {}, t, { allowReuse: false })).rejects.toMatchObject(
      {
        code: 'ERR_STORE_CONFLICT',
      },
    );
    expect(stuck.calls.filter((c) => c.name === 'accept')).toHaveLength(3);
  });

  it('binds the sanitised failed code, never the raw input', async () => {
    const exec = new Script({ fail: () => row() });
    const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
    await store.recordFailure('a@x.test', 'hunter2', { ip: '1.2.3.4' }, t);
    await store.recordFailure('a@x.test', '12345', {}, t, { codeDigits: 6 });
    await store.recordFailure('a@x.test', '123450', {}, t, { codeDigits: 6 });
    expect(exec.calls).toEqual([
      { name: 'fail', args: ['a@x.test', t.getTime(), '<non-numeric>'] },
      { name: 'fail', args: ['a@x.test', t.getTime(), '<wrong-length>'] },
      { name: 'fail', args: ['a@x.test', t.getTime(), '123450'] },
    ]);
  });

  it('sweeps expired nonces once per 256 remembered ones', async () => {
    const exec = new Script({ nonce: () => 1 });
    const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
    for (let i = 0; i < 600; i += 1) await store.rememberNonce(`k${i}`, t, t);
    expect(exec.calls.filter((c) => c.name === 'nonceSweep')).toHaveLength(2);
  });

  it('closes the executor once however often close() is called, then refuses calls', async () => {
    const exec = new Script({});
    const store = new SqlUserStore(exec, sqliteDialect, 'sqlite', 'test.db');
    await Promise.all([store.close(), store.close()]);
    await store.close();
    expect(exec.closes).toBe(1);
    await expect(store.count()).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: 'the sqlite store test.db is closed',
    });
  });
});
