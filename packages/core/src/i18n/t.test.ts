import { describe, expect, it } from '@jest/globals';
import { t, tHtml } from './t.js';

describe('t', () => {
  it('returns the English string for an English key without params', () => {
    expect(t('en', 'outcome.invalid_code')).toBe('The code is not correct. Try again.');
  });

  it('returns the string of the requested language', () => {
    expect(t('de', 'outcome.invalid_code')).toBe(
      'Der Code ist nicht korrekt. Versuchen Sie es erneut.',
    );
    expect(t('ar', 'page.cancel')).toBe('إلغاء');
  });

  it('substitutes every {name} placeholder, wherever the language puts it', () => {
    const params = { destination: 'j***@example.com', time: '15:07' };
    expect(t('en', 'login.code_sent_email', params)).toBe(
      'We sent a code to j***@example.com. It is valid until 15:07.',
    );
    expect(t('tr', 'login.code_sent_email', params)).toBe(
      'j***@example.com adresine bir kod gönderdik. Kod 15:07 saatine kadar geçerlidir.',
    );
  });

  it('resolves region tags, aliases and LCIDs, and falls back to English for unknown languages', () => {
    expect(t('de-AT', 'page.submit')).toBe('Anmelden');
    expect(t('nn', 'page.submit')).toBe('Logg på');
    expect(t('1063', 'page.submit')).toBe('Prisijungti');
    expect(t('ja', 'page.submit')).toBe('Sign in');
    expect(t('', 'page.submit')).toBe('Sign in');
  });

  it('inserts params verbatim: no HTML escaping in plain text', () => {
    expect(t('en', 'email.greeting', { account: '<b>Tom & Jerry</b>' })).toBe(
      'Hello <b>Tom & Jerry</b>,',
    );
  });

  it('substitutes in one pass: a param containing {code} or $& stays literal', () => {
    expect(t('en', 'email.greeting', { account: '{code} $& $1' })).toBe('Hello {code} $& $1,');
  });

  it('formats number params for the language, with Latin digits', () => {
    expect(t('en', 'outcome.malformed', { digits: 6 })).toBe('Enter the 6-digit code.');
    expect(t('de', 'page.cooldown', { seconds: 1500 })).toBe(
      'Sie können in 1.500 Sekunden einen neuen Code anfordern.',
    );
    expect(t('ar', 'page.cooldown', { seconds: 60 })).toBe('يمكنك طلب رمز جديد بعد 60 ثانية.');
  });

  it('ignores params the message does not use', () => {
    expect(t('en', 'outcome.success', {} as Record<string, never>)).toBe('Verified.');
    expect(t('en', 'email.signature', { company: 'ACME', extra: 'x' } as { company: string })).toBe(
      'ACME',
    );
  });

  describe('plural forms (CLDR rules)', () => {
    it.each([
      ['en', 1, 'You can request a new code in 1 second.'],
      ['en', 30, 'You can request a new code in 30 seconds.'],
      ['fr', 0, 'Vous pourrez demander un nouveau code dans 0 seconde.'],
      ['ru', 1, 'Новый код можно запросить через 1 секунду.'],
      ['ru', 3, 'Новый код можно запросить через 3 секунды.'],
      ['ru', 5, 'Новый код можно запросить через 5 секунд.'],
      ['ru', 21, 'Новый код можно запросить через 21 секунду.'],
      ['pl', 1, 'O nowy kod możesz poprosić za 1 sekundę.'],
      ['pl', 22, 'O nowy kod możesz poprosić za 22 sekundy.'],
      ['pl', 12, 'O nowy kod możesz poprosić za 12 sekund.'],
      ['lt', 1, 'Naujo kodo galėsite paprašyti po 1 sekundės.'],
      ['lt', 5, 'Naujo kodo galėsite paprašyti po 5 sekundžių.'],
      ['lt', 10, 'Naujo kodo galėsite paprašyti po 10 sekundžių.'],
      ['ar', 1, 'يمكنك طلب رمز جديد بعد ثانية واحدة.'],
      ['ar', 2, 'يمكنك طلب رمز جديد بعد ثانيتين.'],
      ['ar', 3, 'يمكنك طلب رمز جديد بعد 3 ثوانٍ.'],
      ['ar', 11, 'يمكنك طلب رمز جديد بعد 11 ثانية.'],
      ['zh', 1, '您可以在 1 秒后申请新的验证码。'],
    ] as const)('%s, %d seconds: %s', (lang, seconds, want) => {
      expect(t(lang, 'page.cooldown', { seconds })).toBe(want);
    });

    it('lets a language make a plain English message plural (Arabic digit count)', () => {
      expect(t('ar', 'outcome.malformed', { digits: 6 })).toBe('أدخل الرمز المكوّن من 6 أرقام.');
      expect(t('ar', 'outcome.malformed', { digits: 12 })).toBe('أدخل الرمز المكوّن من 12 رقمًا.');
    });

    it('takes a numeric string for a count only a translation makes plural, never failing', () => {
      expect(t('ar', 'outcome.malformed', { digits: '6' })).toBe('أدخل الرمز المكوّن من 6 أرقام.');
      expect(t('ar', 'outcome.malformed', { digits: 'six' })).toBe('أدخل الرمز المكوّن من six رقم.');
      expect(t('en', 'outcome.malformed', { digits: 'six' })).toBe('Enter the six-digit code.');
    });

    it('requires the count to be a number', () => {
      expect(() => t('en', 'page.cooldown', { seconds: '5' as unknown as number })).toThrow(
        /"seconds" selects the plural form and must be a finite number/,
      );
    });
  });

  describe('misuse is a TypeError', () => {
    it('names a missing param, checked against English in every language', () => {
      const call = (lang: string) => () =>
        t(lang, 'outcome.locked', {} as unknown as { time: string });
      expect(call('en')).toThrow(new TypeError('t("en", "outcome.locked"): missing param "time"'));
      // Arabic's "one second" form has no {seconds}, yet the param is still required.
      expect(() => t('ar', 'page.cooldown', {} as unknown as { seconds: number })).toThrow(
        /missing param "seconds"/,
      );
    });

    it('refuses an unknown key', () => {
      expect(() => t('en', 'page.nope' as 'page.title')).toThrow(
        new TypeError('unknown message key "page.nope"'),
      );
      expect(() => t('en', 'toString' as 'page.title')).toThrow(TypeError);
    });

    it('refuses params that are neither strings nor finite numbers', () => {
      expect(() => t('en', 'email.greeting', { account: undefined as unknown as string })).toThrow(
        /param "account" must be a string or a finite number, got undefined/,
      );
      expect(() => t('en', 'outcome.malformed', { digits: Number.NaN })).toThrow(/got NaN/);
      expect(() => t('en', 'email.greeting', null as unknown as { account: string })).toThrow(
        /params must be an object/,
      );
    });

    it('refuses a non-string language', () => {
      expect(() => t(undefined as unknown as string, 'page.title')).toThrow(
        new TypeError('"lang" must be a string, got undefined'),
      );
    });
  });
});

describe('tHtml', () => {
  it('escapes params for HTML element content and quoted attributes', () => {
    expect(tHtml('en', 'email.greeting', { account: '<script>alert("x")</script>' })).toBe(
      'Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,',
    );
    expect(tHtml('en', 'email.greeting', { account: "O'Brien & Co" })).toBe(
      'Hello O&#39;Brien &amp; Co,',
    );
  });

  it('leaves text without special characters as t() returns it', () => {
    expect(
      tHtml('fr', 'login.code_sent_email', { destination: 'j***@example.com', time: '15:07' }),
    ).toBe(t('fr', 'login.code_sent_email', { destination: 'j***@example.com', time: '15:07' }));
  });

  it('escapes an entity-looking param instead of letting it decode', () => {
    expect(tHtml('de', 'email.greeting', { account: '&lt;b&gt;' })).toBe(
      'Hallo &amp;lt;b&amp;gt;,',
    );
  });
});
