import { describe, expect, it } from '@jest/globals';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows `limit` requests per window and refuses the next', () => {
    let t = 0;
    const rl = createRateLimiter({ limit: 3, windowMs: 1000, now: () => t });
    expect([rl.take('a'), rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(rl.take('b')).toBe(true);
    expect(rl.retryAfter('a')).toBe(1);
    t = 1000;
    expect(rl.take('a')).toBe(true);
  });

  it('is disabled by limit 0', () => {
    const rl = createRateLimiter({ limit: 0 });
    for (let i = 0; i < 100; i += 1) expect(rl.take('x')).toBe(true);
  });

  it('never tracks more than maxKeys and fails closed when full of live windows', () => {
    let t = 0;
    const rl = createRateLimiter({ limit: 5, windowMs: 1000, maxKeys: 10, now: () => t });
    for (let i = 0; i < 10; i += 1) expect(rl.take(`k${i}`)).toBe(true);
    expect(rl.take('new')).toBe(false);
    expect(rl.size()).toBe(10);
    t = 1000; // every window expired: the sweep makes room
    expect(rl.take('new')).toBe(true);
    expect(rl.size()).toBe(1);
  });

  it('rejects a bad limit', () => {
    expect(() => createRateLimiter({ limit: -1 })).toThrow(
      /"limit" must be a non-negative integer/,
    );
  });
});
