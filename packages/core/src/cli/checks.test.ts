// The store check lines of install/verify from a store's self-report (pure logic: the reports
// are fixed values; the real backends' reports are tested in packages/core/test/*.int.test.ts).
import { describe, expect, it } from '@jest/globals';
import { StoreError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import type { StoreInspection } from '../store/store-inspection.js';
import { storeError } from '../store/store-problem.js';
import { checkStore, checkStoreSchemaAndAccess, storeFailedLine } from './checks.js';

/** A memory store that reports a fixed inspection (or throws). */
class ReportingStore extends MemoryStore {
  constructor(private readonly report: StoreInspection | Error) {
    super();
  }

  async inspect(): Promise<StoreInspection> {
    if (this.report instanceof Error) throw this.report;
    return this.report;
  }
}

const lines = (report: StoreInspection | Error, appliedFrom?: number) =>
  checkStoreSchemaAndAccess(new ReportingStore(report), 'securemfa-qr-otp', 1000, appliedFrom);

describe('checkStoreSchemaAndAccess', () => {
  it('a store that cannot tell (memory) adds no lines', async () => {
    expect(await checkStoreSchemaAndAccess(new MemoryStore(), 'x', 1000)).toEqual([]);
  });

  it('SQL at the latest version with every grant: two ok lines', async () => {
    expect(await lines({ schema: { current: 2, latest: 2 }, missingAccess: [] })).toEqual([
      { name: 'schema', ok: true, detail: 'schema version 2 (the latest this version ships)' },
      {
        name: 'access',
        ok: true,
        detail: 'the account may read and write everything the provider needs',
      },
    ]);
  });

  it('reports what install applied', async () => {
    const [schema] = await lines({ schema: { current: 3, latest: 3 }, missingAccess: [] }, 1);
    expect(schema?.detail).toBe(
      'schema version 3: applied migrations 0002…0003 now (the database was at 1)',
    );
  });

  it('schema version old / missing / newer: FAIL with the fix', async () => {
    const [old] = await lines({ schema: { current: 1, latest: 2 } });
    expect(old).toEqual({
      name: 'schema',
      ok: false,
      detail: 'schema version old: the database is at version 1, this version needs 2',
      hint: 'run `securemfa-qr-otp install` on the main node (it applies sql-scripts/<dialect> 0002)',
    });
    const [missing] = await lines({ schema: { current: 0, latest: 2 } });
    expect(missing?.detail).toMatch(/^schema missing: /);
    expect(missing?.hint).toContain('0001…0002');
    const [newer] = await lines({ schema: { current: 5, latest: 2 } });
    expect(newer).toMatchObject({ ok: false, hint: expect.stringContaining('upgrade SecureMFA') });
  });

  it('AD attributes missing: FAIL naming them, with the schema extension commands', async () => {
    const out = await lines({ missingAttributes: ['sMFA-OTP-laststep', 'sMFA-OTP-User'] });
    expect(out).toEqual([
      {
        name: 'schema',
        ok: false,
        detail: 'AD attributes missing: sMFA-OTP-laststep, sMFA-OTP-User',
        hint: expect.stringContaining('securemfa-tools ad-schema extend'),
      },
    ]);
    expect(out[0]?.hint).toContain('ad-schema/securemfa-otp-schema.ldif');
  });

  it('no write access: FAIL naming what is missing, with the backend hint', async () => {
    const [, access] = await lines({
      missingAttributes: [],
      missingAccess: ['write sMFA-OTP-laststep'],
      accessHint: 'grant it',
    });
    expect(access).toEqual({
      name: 'access',
      ok: false,
      detail: 'no write access: write sMFA-OTP-laststep',
      hint: 'grant it',
    });
  });

  it('AD with no visible user: access is skipped, not passed', async () => {
    const [, access] = await lines({ missingAttributes: [] });
    expect(access).toMatchObject({ name: 'access', skipped: true });
  });

  it('an inspection that fails becomes one FAIL line naming the problem', async () => {
    const err = storeError('ERR_STORE_UNAVAILABLE', 'unreachable', 'cannot reach db1', {
      hint: 'check host',
    });
    expect(await lines(err)).toEqual([
      { name: 'schema', ok: false, detail: 'unreachable: cannot reach db1', hint: 'check host' },
    ]);
  });
});

describe('storeFailedLine and checkStore', () => {
  it('names the problem first; untagged errors keep their message', () => {
    const auth = storeError('ERR_STORE_UNAVAILABLE', 'auth_failed', 'login refused', {
      hint: 'check the password',
    });
    expect(storeFailedLine('store', auth)).toEqual({
      name: 'store',
      ok: false,
      detail: 'auth failed: login refused',
      hint: 'check the password',
    });
    const plain = new StoreError('ERR_STORE_UNAVAILABLE', 'something');
    expect(storeFailedLine('store', plain, 'fallback')).toEqual({
      name: 'store',
      ok: false,
      detail: 'something',
      hint: 'fallback',
    });
  });

  it('an answering store: ok with the user count', async () => {
    const store = new MemoryStore();
    await store.enrol('a@adatum.labnet', 'SECRET', new Date(0));
    expect(await checkStore(store, 'memory', 1000)).toEqual({
      name: 'store',
      ok: true,
      detail: 'memory, 1 user(s)',
    });
  });
});
