import { describe, expect, it } from '@jest/globals';
import { cacheId, LruCache } from './key-cache.js';

describe('LruCache', () => {
  it('keeps at most maxEntries, evicting the least recently used', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.size).toBe(2);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
  });

  it('replaces a value without growing', () => {
    const c = new LruCache<string>(2);
    c.set('a', 'x');
    c.set('a', 'y');
    expect(c.size).toBe(1);
    expect(c.get('a')).toBe('y');
  });

  it('keeps nothing when maxEntries is 0, and clears', () => {
    const none = new LruCache<number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    const c = new LruCache<number>(3);
    c.set('a', 1);
    c.clear();
    expect(c.size).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN])('rejects maxEntries %p with a RangeError', (n) => {
    expect(() => new LruCache(n)).toThrow(RangeError);
  });
});

describe('cacheId', () => {
  it('is stable for the same inputs and differs for different ones', () => {
    expect(cacheId('p', 1)).toBe(cacheId('p', 1));
    expect(cacheId('p', 1)).not.toBe(cacheId('p', 2));
    expect(cacheId('p', Buffer.from([1]))).not.toBe(cacheId('p', Buffer.from([2])));
  });

  it('length-prefixes the parts, so different splits never collide', () => {
    expect(cacheId('ab', 'c')).not.toBe(cacheId('a', 'bc'));
    expect(cacheId('abc')).not.toBe(cacheId('ab', 'c'));
  });

  it('does not contain the inputs', () => {
    const id = cacheId('correct horse battery staple');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).not.toContain('horse');
  });
});
