import { describe, expect, it } from '@jest/globals';
import { checkNonceKey, checkStep, keyOf, listLimit, upnToStore } from './arguments.js';

describe('store argument checks', () => {
  it('keys UPNs trimmed and lower-cased, stores them trimmed as given', () => {
    expect(keyOf('  Ann.Lee@Adatum.LabNet ')).toBe('ann.lee@adatum.labnet');
    expect(keyOf('')).toBe('');
    expect(upnToStore('  Ann.Lee@Adatum.LabNet ')).toBe('Ann.Lee@Adatum.LabNet');
    expect(() => upnToStore(' \t')).toThrow('"upn" must be a non-empty string');
    expect(() => keyOf(undefined)).toThrow(TypeError);
  });

  it('accepts non-negative safe integer steps only', () => {
    expect(() => checkStep(0)).not.toThrow();
    expect(() => checkStep(59_000_000)).not.toThrow();
    for (const bad of [-1, 0.5, Number.POSITIVE_INFINITY, '5', 2 ** 53]) {
      expect(() => checkStep(bad)).toThrow('"step" must be a non-negative integer');
    }
  });

  it('bounds nonce keys to 1–200 characters', () => {
    expect(() => checkNonceKey('k'.repeat(200))).not.toThrow();
    expect(() => checkNonceKey('k'.repeat(201))).toThrow(TypeError);
    expect(() => checkNonceKey('')).toThrow(TypeError);
  });

  it('defaults the list page to 500 and clamps it to 1…10000', () => {
    expect(listLimit(undefined)).toBe(500);
    expect(listLimit(0)).toBe(1);
    expect(listLimit(2.9)).toBe(2);
    expect(listLimit(1e9)).toBe(10_000);
    expect(() => listLimit(Number.NaN)).toThrow('"limit" must be a finite number');
  });
});
