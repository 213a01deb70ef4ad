import { describe, expect, it } from '@jest/globals';
import { formatTime, SUPPORTED_LANGUAGES, t, textDirection } from '@securemfa/core';
import { buildOtpMail, DEFAULT_SIGNATURE, type OtpMailInput } from './message.js';

const VALID_UNTIL = new Date('2026-03-14T13:07:00Z');

function input(over: Partial<OtpMailInput> = {}): OtpMailInput {
  return {
    upn: 'alice.smith@adatum.labnet',
    code: '492039',
    validUntil: VALID_UNTIL,
    lang: 'en',
    company: 'Adatum',
    removeUserPrefix: false,
    timeZone: 'UTC',
    ...over,
  };
}

describe('buildOtpMail in every supported language', () => {
  it.each([...SUPPORTED_LANGUAGES])(
    '%s: subject, text and HTML with the code and the time',
    (lang) => {
      const mail = buildOtpMail(input({ lang }));
      const time = formatTime(VALID_UNTIL, lang, 'UTC');
      expect(mail.lang).toBe(lang);
      expect(mail.subject).toBe(t(lang, 'email.subject'));
      expect(mail.subject).not.toContain('492039'); // subjects show on lock screens
      expect(mail.text).toContain(t(lang, 'email.code_line', { code: '492039' }));
      expect(mail.text).toContain(t(lang, 'email.valid_until', { time }));
      expect(mail.text).toContain(
        t(lang, 'email.greeting', { account: 'alice.smith@adatum.labnet' }),
      );
      expect(mail.text.endsWith('\n-- \nAdatum\n')).toBe(true);
      expect(mail.html).toContain(`<html lang="${lang}" dir="${textDirection(lang)}">`);
      expect(mail.html).toContain('492039</strong>');
      expect(mail.html).toContain(`<time datetime="2026-03-14T13:07:00.000Z">${time}</time>`);
    },
  );

  it('Arabic is right-to-left, English and German left-to-right', () => {
    expect(buildOtpMail(input({ lang: 'ar' })).html).toContain('dir="rtl"');
    expect(buildOtpMail(input({ lang: 'de' })).html).toContain('dir="ltr"');
    expect(buildOtpMail(input({ lang: 'de' })).text).toContain('Er ist bis 13:07 Uhr gültig.');
  });

  it('an unknown language is English; a regional tag is its language', () => {
    expect(buildOtpMail(input({ lang: 'xx' })).lang).toBe('en');
    expect(buildOtpMail(input({ lang: 'de-AT' })).lang).toBe('de');
  });
});

describe('nothing external, nothing injected', () => {
  it('the HTML has no URL, image, script, style sheet, frame or form', () => {
    const { html } = buildOtpMail(input());
    expect(html).not.toMatch(/https?:|\/\/|<img|<script|<link|<iframe|<form|url\(|\bsrc=|\bhref=/i);
  });

  it('escapes the UPN and the company in the HTML (and keeps them as text in the text part)', () => {
    const mail = buildOtpMail(
      input({ upn: '<img src=x>@adatum.labnet', company: 'A&B <script>alert(1)</script>' }),
    );
    expect(mail.html).not.toMatch(/<img|<script/);
    expect(mail.html).toContain('&lt;img src=x&gt;@adatum.labnet');
    expect(mail.html).toContain('A&amp;B &lt;script&gt;');
    expect(mail.text).toContain('A&B <script>alert(1)</script>');
  });

  it('signs with SecureMFA when company is empty', () => {
    expect(buildOtpMail(input({ company: '  ' })).text).toContain(`-- \n${DEFAULT_SIGNATURE}\n`);
  });
});

describe('smtp_remove_user_prefix', () => {
  it('greets without the account: the UPN appears in no part', () => {
    const mail = buildOtpMail(input({ removeUserPrefix: true }));
    expect(mail.text).toContain(t('en', 'email.greeting_plain'));
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain('alice');
  });
});

describe('refuses what cannot be a code or a zone', () => {
  it.each(['', '12345a', '123', '12345678901', ' 123456'])('code %j → TypeError', (code) => {
    expect(() => buildOtpMail(input({ code }))).toThrow(TypeError);
  });

  it('an unknown time zone → RangeError', () => {
    expect(() => buildOtpMail(input({ timeZone: 'Mars/Olympus' }))).toThrow(RangeError);
  });
});
