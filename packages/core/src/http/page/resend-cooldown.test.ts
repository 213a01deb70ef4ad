import { describe, expect, it } from '@jest/globals';
import { createResendCooldown } from './resend-cooldown.js';

const t0 = new Date('2026-03-14T13:07:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('createResendCooldown', () => {
  it('counts down from the last send on this node, case-insensitively by UPN', () => {
    const c = createResendCooldown(30);
    expect(c.remaining('alice@example.test', t0)).toBe(0);
    c.record('Alice@Example.test', t0);
    expect(c.remaining('alice@example.test', at(0))).toBe(30);
    expect(c.remaining('alice@example.test', at(10.2))).toBe(20);
    expect(c.remaining('alice@example.test', at(30))).toBe(0);
    expect(c.remaining('bob@example.test', at(1))).toBe(0);
  });

  it('honours the signed sentAt of the page when this node never sent (farm)', () => {
    const c = createResendCooldown(30);
    expect(c.remaining('alice@example.test', at(5), t0.getTime())).toBe(25);
  });

  it('takes the later of node memory and page sentAt (an old page cannot skip the wait)', () => {
    const c = createResendCooldown(30);
    c.record('alice@example.test', at(100));
    expect(c.remaining('alice@example.test', at(110), t0.getTime())).toBe(20);
  });

  it('is off with 0 seconds and rejects a bad value', () => {
    const c = createResendCooldown(0);
    c.record('a@example.test', t0);
    expect(c.remaining('a@example.test', t0, t0.getTime())).toBe(0);
    expect(() => createResendCooldown(-1)).toThrow(RangeError);
    expect(() => createResendCooldown(1.5)).toThrow(RangeError);
  });

  it('forgets the oldest users beyond its bound', () => {
    const c = createResendCooldown(30, 2);
    c.record('a@x.test', t0);
    c.record('b@x.test', t0);
    c.record('c@x.test', t0);
    expect(c.remaining('a@x.test', at(1))).toBe(0);
    expect(c.remaining('b@x.test', at(1))).toBe(29);
    expect(c.remaining('c@x.test', at(1))).toBe(29);
  });
});
