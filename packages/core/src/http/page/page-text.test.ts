import { describe, expect, it } from '@jest/globals';
import { t } from '../../i18n/t.js';
import { pageHtml, pageText } from './page-text.js';

describe('pageHtml', () => {
  it('escapes the text and wraps string params in <bdi>', () => {
    expect(pageHtml('en', 'demo.signed_in', { account: '<b>x</b>@example.test' })).toBe(
      'Signed in as <bdi>&lt;b&gt;x&lt;/b&gt;@example.test</bdi> with a one-time passcode.',
    );
  });

  it('uses the catalogue for catalogue keys, numbers picking the plural form', () => {
    expect(pageHtml('ru', 'page.cooldown', { seconds: 3 })).toBe(
      t('ru', 'page.cooldown', { seconds: 3 }),
    );
    expect(pageHtml('en', 'page.cooldown', { seconds: 1 })).toBe(
      'You can request a new code in 1 second.',
    );
  });

  it('a param that looks like a placeholder or a sentinel stays literal', () => {
    expect(pageHtml('en', 'demo.sign_in_as', { account: '{account}\u00000\u0000' })).toBe(
      'Sign in as <bdi>{account}\u00000\u0000</bdi>',
    );
  });

  it('throws TypeError for a missing param', () => {
    expect(() => pageHtml('en', 'demo.sign_in_as')).toThrow(TypeError);
    expect(() => pageHtml('en', 'outcome.locked')).toThrow(TypeError);
  });

  it('speaks the page’s own keys in every language (no English fallback left)', () => {
    expect(pageText('de', 'page.start_again')).toBe('Neu beginnen');
    expect(pageText('ar', 'page.request_expired')).toBe(t('ar', 'page.request_expired'));
    expect(pageText('de', 'page.title')).toBe(t('de', 'page.title'));
  });
});
