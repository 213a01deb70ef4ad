import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AdKeyIndex, AdKeyIndexes } from './ad-list-index.js';

const mark = { dc: 'CN=NTDS Settings,CN=DC1|0a0b', usn: 100n };
const keys = (users: { key: string }[]): string[] => users.map((u) => u.key);

describe('AdKeyIndex', () => {
  it('pages in key order (code-unit order of the lower-cased UPN), after a key', () => {
    const index = new AdKeyIndex(mark, 0);
    for (const [id, key] of [
      ['03', 'c@x'],
      ['01', 'a_b@x'],
      ['02', 'aab@x'],
      ['04', 'a-b@x'],
    ] as const)
      index.upsert(id, key);
    expect(index.size).toBe(4);
    // '-' is 0x2d and '_' 0x5f, both below 'a' (0x61): a-b < a_b < aab < c (Samba's upper-case
    // folding would put a_b after aab, AD's word sort ignores the hyphen).
    expect(keys(index.next(undefined, 10))).toEqual(['a-b@x', 'a_b@x', 'aab@x', 'c@x']);
    expect(keys(index.next('a_b@x', 10))).toEqual(['aab@x', 'c@x']);
    expect(keys(index.next('a_c', 1))).toEqual(['aab@x']);
    expect(index.next('c@x', 10)).toEqual([]);
    expect(index.next(undefined, 0)).toEqual([]);
  });

  it('moves a renamed user, forgets a removed one, and ignores unknown ids', () => {
    const index = new AdKeyIndex(mark, 0);
    index.upsert('01', 'b@x');
    index.upsert('02', 'd@x');
    index.upsert('01', 'e@x');
    expect(index.next(undefined, 10)).toEqual([
      { key: 'd@x', id: '02' },
      { key: 'e@x', id: '01' },
    ]);
    index.remove('02');
    index.remove('99');
    expect(index.next(undefined, 10)).toEqual([{ key: 'e@x', id: '01' }]);
    expect(index.size).toBe(1);
  });

  it('skips every entry of the `after` key, even two ids with one key (a moved object)', () => {
    const index = new AdKeyIndex(mark, 0);
    index.upsert('02', 'a@x');
    index.upsert('01', 'a@x');
    index.upsert('03', 'b@x');
    expect(index.next(undefined, 10).map((u) => u.id)).toEqual(['01', '02', '03']);
    expect(keys(index.next('a@x', 10))).toEqual(['b@x']);
  });

  it('hands out copies', () => {
    const index = new AdKeyIndex(mark, 0);
    index.upsert('01', 'a@x');
    index.next(undefined, 1)[0]!.key = 'z';
    expect(keys(index.next(undefined, 1))).toEqual(['a@x']);
  });

  it('agrees with sorting the keys, whatever the upserts and removes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.integer({ min: 0, max: 30 }).map((n) => n.toString(16)),
            key: fc.string({ maxLength: 4 }),
            remove: fc.boolean(),
          }),
          { maxLength: 80 },
        ),
        fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
        (ops, after) => {
          const index = new AdKeyIndex(mark, 0);
          const model = new Map<string, string>();
          for (const op of ops) {
            if (op.remove) {
              index.remove(op.id);
              model.delete(op.id);
            } else {
              index.upsert(op.id, op.key);
              model.set(op.id, op.key);
            }
          }
          const expected = [...model.entries()]
            .map(([id, key]) => ({ key, id }))
            .filter((u) => after === undefined || u.key > after)
            .sort((a, b) =>
              a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
            );
          expect(index.next(after, 1000)).toEqual(expected);
          expect(index.size).toBe(model.size);
        },
      ),
    );
  });
});

describe('AdKeyIndexes', () => {
  it('keeps one index per prefix for the DC it was built on', () => {
    const kept = new AdKeyIndexes(4, 1000, 10_000);
    const index = new AdKeyIndex(mark, 0);
    kept.set('', index);
    expect(kept.get('', mark.dc, 10)).toBe(index);
    expect(kept.get('a', mark.dc, 10)).toBeUndefined();
    // Another DC (or the same DC restored: a new invocationId): USNs do not compare.
    expect(kept.get('', 'CN=NTDS Settings,CN=DC2|0c0d', 20)).toBeUndefined();
    expect(kept.size).toBe(0);
  });

  it('drops an index unused for idleMs, or built more than maxAgeMs ago', () => {
    const kept = new AdKeyIndexes(4, 1000, 10_000);
    kept.set('', new AdKeyIndex(mark, 0));
    expect(kept.get('', mark.dc, 1000)).toBeDefined();
    expect(kept.get('', mark.dc, 2001)).toBeUndefined();
    const old = new AdKeyIndex(mark, 0);
    kept.set('', old);
    for (let t = 900; t <= 9900; t += 900) expect(kept.get('', mark.dc, t)).toBe(old);
    expect(kept.get('', mark.dc, 10_001)).toBeUndefined();
  });

  it('evicts the least recently used beyond max', () => {
    const kept = new AdKeyIndexes(2, 1000, 10_000);
    const a = new AdKeyIndex(mark, 0);
    const b = new AdKeyIndex(mark, 0);
    kept.set('a', a);
    kept.set('b', b);
    expect(kept.get('a', mark.dc, 1)).toBe(a); // a is now the most recent
    kept.set('c', new AdKeyIndex(mark, 0));
    expect(kept.size).toBe(2);
    expect(kept.get('b', mark.dc, 2)).toBeUndefined();
    expect(kept.get('a', mark.dc, 2)).toBe(a);
    kept.clear();
    expect(kept.size).toBe(0);
  });
});
