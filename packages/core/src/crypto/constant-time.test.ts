import { describe, expect, it } from '@jest/globals';
import { constantTimeEqual } from './constant-time.js';

describe('constantTimeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['abcd', 'abc', false],
    ['', '', true],
    ['', 'a', false],
    ['päss€', 'päss€', true],
    ['päss€', 'pass€', false],
  ])('compares %j and %j as %s, for strings and for bytes', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
    expect(constantTimeEqual(Buffer.from(a), Buffer.from(b))).toBe(expected);
    expect(constantTimeEqual(a, new Uint8Array(Buffer.from(b)))).toBe(expected);
  });

  it('does not treat a zero-padded value as equal to the shorter one (length is folded in)', () => {
    expect(constantTimeEqual('abc', 'abc\0')).toBe(false);
    expect(constantTimeEqual(Buffer.from([1, 2]), Buffer.from([1, 2, 0, 0]))).toBe(false);
  });

  it('does not throw on different lengths (Node timingSafeEqual would)', () => {
    expect(() => constantTimeEqual('a'.repeat(5), 'a'.repeat(500))).not.toThrow();
  });

  it('honours minLength and still compares correctly', () => {
    expect(constantTimeEqual('key', 'key', 64)).toBe(true);
    expect(constantTimeEqual('key', 'kex', 64)).toBe(false);
  });

  it('compares a view into a larger buffer by its own bytes only', () => {
    const big = Buffer.from('xxsecretyy');
    expect(constantTimeEqual(big.subarray(2, 8), 'secret')).toBe(true);
  });

  it('rejects arguments that are neither strings nor bytes with a TypeError', () => {
    expect(() => constantTimeEqual(42 as unknown as string, 'a')).toThrow(TypeError);
    expect(() => constantTimeEqual('a', undefined as unknown as string)).toThrow(/"b" must be/);
  });
});
