import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWinEnvelope } from '@securemfa/core';
import { createOfflineCache } from './offline-cache.js';
import type { OfflineEntry } from './offline-verify.js';

const envelope = createWinEnvelope({ passphrase: 'offline cache unit tests' });
const entry: OfflineEntry = {
  upn: 'Alice@Adatum.Labnet',
  secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  step: 30,
  digits: 6,
  algorithm: 'SHA1',
  laststep: 1000,
  synced_at: 1_700_000_000_000,
  expires_at: 1_700_604_800_000,
  failed_count: 0,
  failed_last: null,
};
const KEY = entry.upn.toLowerCase();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'win-otp-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const TAMPERED = { code: 'ERR_CRYPTO_TAMPERED' };

describe('createOfflineCache', () => {
  it('is empty without a file; stores entries encrypted (0600) by lower-cased UPN', async () => {
    const cache = createOfflineCache({ file: join(dir, 'a', 'cache'), envelope });
    expect((await cache.read()).size).toBe(0);
    await cache.update((entries) => {
      entries.set(entry.upn.toLowerCase(), entry);
      return { result: undefined, changed: true };
    });
    expect((await stat(cache.file)).mode & 0o777).toBe(0o600);
    const text = await readFile(cache.file, 'utf8');
    expect(text).not.toContain(entry.secret);
    expect(text.toLowerCase()).not.toContain('alice');
    expect([...(await cache.read()).entries()]).toEqual([['alice@adatum.labnet', entry]]);
  });

  it('serialises concurrent updates (no lost failure counts)', async () => {
    const cache = createOfflineCache({ file: join(dir, 'b'), envelope });
    await cache.update((e) => (e.set(KEY, entry), { result: undefined, changed: true }));
    await Promise.all(
      Array.from({ length: 15 }, () =>
        cache.update((e) => {
          const cur = e.get(KEY)!;
          e.set(KEY, { ...cur, failed_count: cur.failed_count + 1 });
          return { result: undefined, changed: true };
        }),
      ),
    );
    expect((await cache.read()).get(KEY)?.failed_count).toBe(15);
  });

  it('refuses an altered file, another passphrase, another purpose and a bad entry (ERR_CRYPTO_TAMPERED)', async () => {
    const file = join(dir, 'c');
    const cache = createOfflineCache({ file, envelope });
    await cache.update((e) => (e.set(KEY, entry), { result: undefined, changed: true }));
    const good = await readFile(file, 'utf8');
    const outer = JSON.parse(good) as { format: string; envelope: string };
    const data = Buffer.from(outer.envelope.slice(3), 'base64url');
    data[5] = data[5]! ^ 1;
    const variants = [
      JSON.stringify({ ...outer, envelope: `w1.${data.toString('base64url')}` }),
      JSON.stringify({
        ...outer,
        envelope: createWinEnvelope({ passphrase: 'other' }).seal('offline-cache', {
          v: 1,
          entries: [],
        }),
      }),
      JSON.stringify({ ...outer, envelope: envelope.seal('response', { v: 1, entries: [] }) }),
      JSON.stringify({
        ...outer,
        envelope: envelope.seal('offline-cache', {
          v: 1,
          entries: [{ ...entry, secret: 'lower' }],
        }),
      }),
      good.slice(0, 40),
      'not json',
    ];
    for (const text of variants) {
      await writeFile(file, text);
      await expect(cache.read()).rejects.toMatchObject(TAMPERED);
      await expect(cache.update(() => ({ result: 1, changed: false }))).rejects.toMatchObject(
        TAMPERED,
      );
    }
    // sync starts again from nothing when asked to
    await cache.update(
      (e) => (
        e.set('bob@adatum.labnet', { ...entry, upn: 'bob@adatum.labnet' }),
        { result: undefined, changed: true }
      ),
      {
        replaceTampered: true,
      },
    );
    expect([...(await cache.read()).keys()]).toEqual(['bob@adatum.labnet']);
  });

  it('removes a lock left by a crashed process; remove() deletes the file', async () => {
    const file = join(dir, 'd');
    const cache = createOfflineCache({ file, envelope });
    await writeFile(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    await cache.update((e) => (e.set(KEY, entry), { result: undefined, changed: true }));
    await expect(stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    await cache.remove();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
