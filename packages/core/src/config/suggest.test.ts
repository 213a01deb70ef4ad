import { describe, expect, it } from '@jest/globals';
import { editDistance, suggestKey } from './suggest.js';

describe('editDistance', () => {
  it.each([
    ['smtp_port', 'smtp_port', 0],
    ['smtp_prot', 'smtp_port', 2],
    ['smtp_por', 'smtp_port', 1],
    ['xsmtp_portx', 'smtp_port', 2],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i (capped at max + 1)', (a, b, d) => {
    expect(editDistance(a, b)).toBe(Math.min(d, 3));
    expect(editDistance(a, b, 5)).toBe(d);
  });
});

describe('suggestKey', () => {
  const known = ['smtp_port', 'smtp_server', 'ui_login_failures', 'login_failures', 'api_timeout'];

  it('suggests the closest key within distance 2', () => {
    expect(suggestKey('smtp_prot', known)).toBe('smtp_port');
    expect(suggestKey('smtp_sever', known)).toBe('smtp_server');
    expect(suggestKey('api_timout', known)).toBe('api_timeout');
  });

  it('ignores case', () => {
    expect(suggestKey('SMTP_PORT', known)).toBe('smtp_port');
  });

  it('prefers the nearer of two candidates', () => {
    expect(suggestKey('login_failure', known)).toBe('login_failures');
  });

  it('suggests nothing beyond distance 2', () => {
    expect(suggestKey('smtp_hostname', known)).toBeUndefined();
    expect(suggestKey('foo', known)).toBeUndefined();
  });
});
