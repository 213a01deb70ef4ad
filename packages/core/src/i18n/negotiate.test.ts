import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SUPPORTED_LANGUAGES } from './languages.js';
import { negotiateLanguage } from './negotiate.js';

describe('negotiateLanguage — Accept-Language (RFC 9110 §12.5.4)', () => {
  it.each([
    // no information → English
    [undefined, 'en'],
    ['', 'en'],
    // exact and region fallback (RFC 4647 lookup)
    ['de', 'de'],
    ['de-AT', 'de'],
    ['de-AT,de;q=0.9,en;q=0.8', 'de'],
    ['pt-BR', 'pt'],
    ['pt-PT', 'pt'],
    ['zh-CN,zh;q=0.9', 'zh'],
    ['zh-Hans', 'zh'],
    ['zh-Hans-CN', 'zh'],
    ['zh-TW', 'zh'],
    ['ar-EG', 'ar'],
    // Norwegian: nb, and no/nn as aliases
    ['nb', 'nb'],
    ['no', 'nb'],
    ['nn', 'nb'],
    ['nb-NO', 'nb'],
    ['nn-NO,en;q=0.5', 'nb'],
    // q-values decide, whatever the order
    ['fr;q=0.2, nl;q=0.7', 'nl'],
    ['de;q=0.5, fr;q=0.8', 'fr'],
    ['lt;q=0.001, pl;q=0.01', 'pl'],
    ['fi;q=0.9, sv', 'sv'],
    // equal q: the sender's order
    ['fr;q=1.0, de;q=1', 'fr'],
    ['it, es', 'it'],
    // unsupported languages are skipped, then English
    ['ja, pt-BR;q=0.5', 'pt'],
    ['ja, ko;q=0.9', 'en'],
    ['x-klingon', 'en'],
    // wildcard: any language not named otherwise — English unless English is named
    ['*', 'en'],
    ['ja, *;q=0.5', 'en'],
    ['fr;q=0.5, *;q=0.8', 'en'],
    ['da, *;q=0.1', 'da'],
    ['en;q=0.1, *', 'es'],
    // q=0: not acceptable
    ['de;q=0', 'en'],
    ['de;q=0, fr;q=0.1', 'fr'],
    ['en;q=0, *', 'es'],
    ['nn;q=0, no;q=0.5, sv;q=0.4', 'sv'],
    ['de-AT;q=0, de;q=0.5', 'de'],
    // case-insensitive ranges and parameter names
    ['DE-at', 'de'],
    ['EN-gb', 'en'],
    ['PT-br;Q=0.8', 'pt'],
    ['ZH-hANS', 'zh'],
    // malformed entries are skipped, not fatal
    ['fr;q=2, de;q=0.1', 'de'],
    ['fr;q=abc, ru', 'ru'],
    ['fr;q=0.1234, it;q=0.5', 'it'],
    ['fr;q=, tr', 'tr'],
    ['de_DE, pl', 'pl'],
    [' , ;q=1, nl ', 'nl'],
    ['de;level=1;q=0.5, fi;q=0.4', 'de'],
  ] as const)('%j → %s', (header, want) => {
    expect(negotiateLanguage(header)).toBe(want);
  });

  it.each(
    [
      ',,,',
      ';;;',
      'q=1',
      '@@@',
      '\u0000\u0001',
      'x-klingon!!;;q=abc',
      '123, 456',
      '-de',
      'de-',
      'de--AT',
      'toolonglanguage',
      '*-*',
      '🙂;q=1',
      'de'.repeat(5000),
    ].map((header) => [header.length > 40 ? `${header.slice(0, 40)}…` : header, header]),
  )('does not throw on garbage and answers English: %j', (_label, header) => {
    expect(negotiateLanguage(header)).toBe('en');
  });

  it('reads a bounded number of ranges, so a huge header costs little', () => {
    const header = `${Array.from({ length: 10_000 }, () => 'ja').join(',')},de`;
    const started = process.hrtime.bigint();
    expect(negotiateLanguage(header)).toBe('en');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });

  it('always answers a supported language for any header (property)', () => {
    const supported = new Set<string>(SUPPORTED_LANGUAGES);
    const token = fc.oneof(
      fc.constantFrom('de', 'de-AT', 'EN', 'zh-Hans', 'nn', 'ja', '*', 'x-y', 'ar-EG', ''),
      fc.string({ maxLength: 12 }),
    );
    const entry = fc
      .tuple(token, fc.option(fc.oneof(fc.double(), fc.string({ maxLength: 6 }))))
      .map(([range, q]) => (q === null ? range : `${range};q=${String(q)}`));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(entry, { maxLength: 8 }).map((e) => e.join(',')),
          fc.string(),
        ),
        (header) => {
          expect(supported.has(negotiateLanguage(header))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('negotiateLanguage — explicit choice', () => {
  it.each([
    ['de', 'ar', 'ar'],
    ['de', 'AR-eg', 'ar'],
    [undefined, 'nn-NO', 'nb'],
    [undefined, 'no', 'nb'],
    [undefined, 'sv_SE.UTF-8', 'sv'],
    [undefined, 'de_DE@euro', 'de'],
    [undefined, '1031', 'de'],
    [undefined, '3079', 'de'],
    [undefined, '2070', 'pt'],
    [undefined, '1044', 'nb'],
    [undefined, '2068', 'nb'],
  ] as const)(
    'header %j, explicit %j → %s (explicit beats the header)',
    (header, explicit, want) => {
      expect(negotiateLanguage(header, explicit)).toBe(want);
    },
  );

  it.each([
    ['de', 'xx', 'de'],
    ['fr', '', 'fr'],
    ['it', 'C', 'it'],
    ['lt', '99999', 'lt'],
    [undefined, 'klingon', 'en'],
    [undefined, '<script>', 'en'],
  ] as const)(
    'ignores an unusable explicit %j and uses the header %j → %s',
    (header, explicit, want) => {
      expect(negotiateLanguage(header, explicit)).toBe(want);
    },
  );

  it('refuses non-string arguments (API misuse)', () => {
    expect(() => negotiateLanguage(['de'] as unknown as string)).toThrow(
      new TypeError('"acceptLanguageHeader" must be a string or undefined, got object'),
    );
    expect(() => negotiateLanguage(undefined, 1031 as unknown as string)).toThrow(
      new TypeError('"explicit" must be a string or undefined, got number'),
    );
  });
});
