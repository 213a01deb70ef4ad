/**
 * Type-level guarantees, checked by `tsc` (npm run typecheck): every `@ts-expect-error` below
 * must be an error, or the compile fails ("Unused '@ts-expect-error' directive"). At run time the
 * same calls are asserted to fail or the values to be wrong, so jest checks the other half.
 */
import { describe, expect, it } from '@jest/globals';
import type { MessageParamName, Messages } from './messages.js';
import type { PlaceholdersIn } from './placeholders.js';
import { en } from './strings/en.js';
import { t } from './t.js';

describe('the Messages type', () => {
  it('refuses a language file with a key missing', () => {
    const { 'page.title': dropped, ...withoutTitle } = en;
    // @ts-expect-error 'page.title' is missing
    const missing: Messages = withoutTitle;
    expect(dropped).toBe('Multi-factor authentication');
    expect(Object.hasOwn(missing, 'page.title')).toBe(false);
  });

  it('refuses a language file with an extra key', () => {
    // @ts-expect-error 'page.extra' is not an English key
    const extra: Messages = { ...en, 'page.extra': 'x' };
    expect(Object.keys(extra)).toContain('page.extra');
  });

  it('refuses a plural form selected by a param the English message does not have', () => {
    // @ts-expect-error page.cooldown has {seconds}, not {minutes}
    const wrong: Messages = { ...en, 'page.cooldown': { plural: 'minutes', other: '{minutes}' } };
    // An Arabic-style plural on an English placeholder is fine.
    const right: Messages = { ...en, 'outcome.malformed': { plural: 'digits', other: '{digits}' } };
    expect(wrong['page.cooldown']).not.toEqual(right['page.cooldown']);
  });
});

describe('the params of t()', () => {
  it('derives the param names of a key from the English string', () => {
    const names: MessageParamName<'login.code_sent_email'>[] = ['destination', 'time'];
    const plural: MessageParamName<'page.cooldown'>[] = ['seconds'];
    // @ts-expect-error 'code' is not a param of login.code_sent_email
    const wrong: MessageParamName<'login.code_sent_email'>[] = ['code'];
    const parsed: PlaceholdersIn<'a {x} b {y} c'>[] = ['x', 'y'];
    expect([names, plural, wrong, parsed]).toEqual([
      ['destination', 'time'],
      ['seconds'],
      ['code'],
      ['x', 'y'],
    ]);
  });

  it('requires params exactly when the message has placeholders', () => {
    // @ts-expect-error outcome.locked needs { time }
    expect(() => t('en', 'outcome.locked')).toThrow(/missing param "time"/);
    // @ts-expect-error 'tim' is not 'time'
    expect(() => t('en', 'outcome.locked', { tim: '15:07' })).toThrow(/missing param "time"/);
    // @ts-expect-error a param value must be a string or a number
    expect(() => t('en', 'outcome.locked', { time: true })).toThrow(TypeError);
    // @ts-expect-error the English plural param selects the form: it must be a number
    expect(() => t('en', 'page.cooldown', { seconds: '5' })).toThrow(/must be a finite number/);
    // @ts-expect-error 'page.nope' is not a key
    expect(() => t('en', 'page.nope')).toThrow(/unknown message key/);
    expect(t('en', 'outcome.expired')).toBe('Your sign-in session has expired. Start again.');
  });
});
