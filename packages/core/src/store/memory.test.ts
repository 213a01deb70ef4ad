import { describe, expect, it } from '@jest/globals';
import { describeUserStoreContract } from '@securemfa/testkit';
import { MemoryStore } from './memory.js';

describeUserStoreContract('memory', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore specifics', () => {
  const now = new Date('2026-03-01T08:00:00.000Z');

  it('rejects misuse with a TypeError naming the argument', async () => {
    const store = new MemoryStore();
    await store.enrol('a@x.test', 'S', now);
    const bad = async (f: () => Promise<unknown>, name: string): Promise<void> => {
      await expect(f()).rejects.toThrow(TypeError);
      await expect(f()).rejects.toThrow(name);
    };
    await bad(() => store.enrol('  ', 'S', now), '"upn"');
    await bad(() => store.enrol('b@x.test', '', now), '"secret"');
    await bad(() => store.enrol('b@x.test', 'S', new Date(Number.NaN)), '"now"');
    await bad(() => store.get(42 as unknown as string), '"upn"');
    for (const step of [-1, 1.5, Number.NaN, 2 ** 60]) {
      await bad(() => store.acceptCode('a@x.test', step, {}, now, { allowReuse: false }), '"step"');
    }
    await bad(() => store.rememberNonce('', now, now), '"key"');
    await bad(() => store.rememberNonce('k'.repeat(201), now, now), '"key"');
    await bad(() => store.list({ limit: Number.NaN }), '"limit"');
    await bad(() => store.setEnabled('a@x.test', 'no' as unknown as boolean), '"enabled"');
    // Nothing was created by the refused calls.
    expect(await store.count()).toBe(1);
  });

  it('never stores a failed input that is not 1–10 digits', async () => {
    const store = new MemoryStore();
    await store.enrol('a@x.test', 'S', now);
    for (const input of ['hunter2', 'P@ssw0rd!', '123 456', '١٢٣٤٥٦']) {
      const r = await store.recordFailure('a@x.test', input, {}, now);
      expect(r?.failedcode).toBe('<non-numeric>');
    }
  });

  it('refuses a codeDigits that is not 6–8 before counting anything', async () => {
    const store = new MemoryStore();
    await store.enrol('a@x.test', 'S', now);
    for (const codeDigits of [5, 9, 6.5, Number.NaN, '6' as unknown as number]) {
      await expect(
        store.recordFailure('a@x.test', '123456', {}, now, { codeDigits }),
      ).rejects.toThrow(/"codeDigits" must be an integer from 6 to 8/);
    }
    expect(await store.get('a@x.test')).toMatchObject({ failedlogoncount: 0, failedcode: null });
  });

  it('explains a refusal in the order not_found, disabled, reused, locked', async () => {
    const store = new MemoryStore();
    await store.enrol('a@x.test', 'S', now);
    await store.acceptCode('a@x.test', 10, {}, now, { allowReuse: false });
    for (let i = 0; i < 3; i += 1) await store.recordFailure('a@x.test', '1', {}, now);
    const lockout = { maxFailures: 3, lastFailureAfter: new Date(now.getTime() - 60_000) };
    const accept = (step: number) =>
      store.acceptCode('a@x.test', step, {}, now, { allowReuse: false, lockout });
    expect(await accept(11)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await accept(10)).toMatchObject({ ok: false, reason: 'reused' });
    await store.setEnabled('a@x.test', false);
    expect(await accept(10)).toMatchObject({ ok: false, reason: 'disabled' });
    await store.delete('a@x.test');
    expect(await accept(10)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('keeps no reference to the registration it was given', async () => {
    const store = new MemoryStore();
    const reg = { provider: 'qr-otp', version: '1', fingerprint: 'f', updated: new Date(now) };
    await store.register(reg);
    reg.updated.setTime(0);
    reg.version = '2';
    expect(await store.getRegistration('qr-otp')).toEqual({
      provider: 'qr-otp',
      version: '1',
      fingerprint: 'f',
      updated: now,
    });
  });
});
