import { describe, expect, it } from '@jest/globals';
import {
  backoffDelay,
  BASE_DELAY_MS,
  createRetryPolicy,
  DEFAULT_MAX_ATTEMPTS,
  isRetryable,
  MAX_DELAY_MS,
  nextAttempt,
  type FailureKind,
} from './retry-policy.js';

describe('createRetryPolicy', () => {
  it('caps the total time at api_timeout × attempts', () => {
    expect(createRetryPolicy(5000)).toEqual({
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      attemptTimeoutMs: 5000,
      budgetMs: 15_000,
    });
    expect(createRetryPolicy(800, 1).budgetMs).toBe(800);
  });

  it.each([
    [0, 3],
    [1.5, 3],
    [1000, 0],
    [1000, 6],
  ])('rejects timeout %s / attempts %s', (t, a) => {
    expect(() => createRetryPolicy(t, a)).toThrow(RangeError);
  });
});

describe('isRetryable: connection errors and 5xx only', () => {
  it.each<[FailureKind, boolean]>([
    ['connection', true],
    ['server', true],
    ['client', false],
    ['timeout', false],
    ['tls', false],
    ['other', false],
  ])('%s → %s', (kind, expected) => {
    expect(isRetryable(kind)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, with 50–100 % jitter, up to the maximum', () => {
    expect(backoffDelay(1, () => 0)).toBe(BASE_DELAY_MS / 2);
    expect(backoffDelay(1, () => 0.999999)).toBe(BASE_DELAY_MS);
    expect(backoffDelay(2, () => 0.999999)).toBe(BASE_DELAY_MS * 2);
    expect(backoffDelay(3, () => 0)).toBe(BASE_DELAY_MS * 2);
    expect(backoffDelay(20, () => 0.999999)).toBe(MAX_DELAY_MS);
  });
});

describe('nextAttempt', () => {
  const policy = createRetryPolicy(1000, 3);
  const half = () => 0.5;

  it('retries a connection error and a 5xx with the backoff pause', () => {
    expect(nextAttempt(policy, { attempts: 1, elapsedMs: 10, kind: 'connection' }, half)).toEqual({
      retry: true,
      delayMs: 188,
      timeoutMs: 1000,
    });
    expect(nextAttempt(policy, { attempts: 2, elapsedMs: 300, kind: 'server' }, half)).toEqual({
      retry: true,
      delayMs: 375,
      timeoutMs: 1000,
    });
  });

  it('never retries a 4xx, a timeout or a TLS failure', () => {
    for (const kind of ['client', 'timeout', 'tls', 'other'] as const) {
      expect(nextAttempt(policy, { attempts: 1, elapsedMs: 0, kind }, half)).toEqual({
        retry: false,
        why: 'not_retryable',
      });
    }
  });

  it('stops after maxAttempts', () => {
    expect(nextAttempt(policy, { attempts: 3, elapsedMs: 0, kind: 'server' }, half)).toEqual({
      retry: false,
      why: 'attempts',
    });
  });

  it('shortens the last attempt to what is left of the budget, or stops when too little is', () => {
    // 3000 budget − 2500 used − 375 pause = 125 left
    expect(nextAttempt(policy, { attempts: 2, elapsedMs: 2500, kind: 'server' }, half)).toEqual({
      retry: true,
      delayMs: 375,
      timeoutMs: 125,
    });
    expect(nextAttempt(policy, { attempts: 2, elapsedMs: 2600, kind: 'server' }, half)).toEqual({
      retry: false,
      why: 'budget',
    });
  });
});
