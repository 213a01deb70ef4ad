import { describe, expect, it } from '@jest/globals';
import { CATALOGUE } from './catalogue.js';
import { LANGUAGE_INFO, SUPPORTED_LANGUAGES, type SupportedLanguage } from './languages.js';
import { MESSAGE_KEYS, PLURAL_CATEGORIES, type Message, type MessageKey } from './messages.js';
import { PLACEHOLDER, placeholdersOf } from './placeholders.js';
import { en } from './strings/en.js';

const others = SUPPORTED_LANGUAGES.filter((lang) => lang !== 'en');

/** Every template of a message: the string, or each plural form (none for a missing key). */
function templatesOf(message: Message | undefined): string[] {
  if (message === undefined) return []; // reported by the "every English key" test
  return typeof message === 'string'
    ? [message]
    : Object.entries(message).flatMap(([k, v]) => (k === 'plural' ? [] : [v]));
}

/** Every (language, key, template) in the catalogue. */
const allTemplates = SUPPORTED_LANGUAGES.flatMap((lang) =>
  MESSAGE_KEYS.flatMap((key) =>
    templatesOf(CATALOGUE[lang][key]).map((template) => ({ lang, key, template })),
  ),
);

/** The placeholder names of an English entry: all forms, plus the plural param. */
function englishParams(key: MessageKey): Set<string> {
  const source: Message = en[key];
  const names = new Set(templatesOf(source).flatMap(placeholdersOf));
  if (typeof source !== 'string') names.add(source.plural);
  return names;
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('the catalogue', () => {
  it('has exactly the 17 languages of seed 002', () => {
    expect(sorted(Object.keys(CATALOGUE))).toEqual(sorted(SUPPORTED_LANGUAGES));
    expect(SUPPORTED_LANGUAGES).toHaveLength(17);
    expect(CATALOGUE.en).toBe(en);
  });

  it.each(others)('%s has every English key and no other key', (lang) => {
    expect(sorted(Object.keys(CATALOGUE[lang]))).toEqual(sorted(MESSAGE_KEYS));
  });

  it('has no empty string and no leading or trailing whitespace', () => {
    const bad = allTemplates.filter(
      ({ template }) => template.trim() !== template || template === '',
    );
    expect(bad).toEqual([]);
  });

  it('holds plain text: no <, > or & (so tHtml can escape whole strings)', () => {
    const bad = allTemplates.filter(({ template }) => /[<>&]/.test(template));
    expect(bad).toEqual([]);
  });

  it('uses braces only for {name} placeholders', () => {
    const bad = allTemplates.filter(({ template }) =>
      /[{}]/.test(template.replace(PLACEHOLDER, '')),
    );
    expect(bad).toEqual([]);
  });

  it('gives every plain translation exactly the placeholders of the English string', () => {
    const mismatches: string[] = [];
    for (const lang of others) {
      for (const key of MESSAGE_KEYS) {
        const message: Message | undefined = CATALOGUE[lang][key];
        if (typeof message !== 'string') continue;
        const got = sorted(placeholdersOf(message));
        const want = sorted(englishParams(key));
        if (got.join() !== want.join()) mismatches.push(`${lang} ${key}: ${got} ≠ ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lets a plural form omit only its count ("ثانية واحدة"), never another placeholder', () => {
    const mismatches: string[] = [];
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const key of MESSAGE_KEYS) {
        const message: Message | undefined = CATALOGUE[lang][key];
        if (message === undefined || typeof message === 'string') continue;
        const want = englishParams(key);
        if (!want.has(message.plural)) mismatches.push(`${lang} ${key}: plural on unknown param`);
        for (const form of templatesOf(message)) {
          const got = new Set(placeholdersOf(form));
          for (const name of got)
            if (!want.has(name)) mismatches.push(`${lang} ${key}: extra {${name}}`);
          for (const name of want) {
            if (name !== message.plural && !got.has(name)) {
              mismatches.push(`${lang} ${key}: missing {${name}}`);
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives every plural message exactly the plural categories of its language (CLDR)', () => {
    const mismatches: string[] = [];
    for (const lang of SUPPORTED_LANGUAGES) {
      const categories = sorted(
        new Intl.PluralRules(LANGUAGE_INFO[lang].tag).resolvedOptions().pluralCategories,
      );
      for (const key of MESSAGE_KEYS) {
        const message: Message | undefined = CATALOGUE[lang][key];
        if (message === undefined || typeof message === 'string') continue;
        const forms = sorted(
          Object.keys(message).filter((k) => (PLURAL_CATEGORIES as readonly string[]).includes(k)),
        );
        if (forms.join() !== categories.join()) {
          mismatches.push(`${lang} ${key}: has ${forms}, language uses ${categories}`);
        }
        const unknown = Object.keys(message).filter(
          (k) => k !== 'plural' && !(PLURAL_CATEGORIES as readonly string[]).includes(k),
        );
        if (unknown.length > 0) mismatches.push(`${lang} ${key}: unknown forms ${unknown}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps the adapter metadata texts plain strings in every language', () => {
    const plural = SUPPORTED_LANGUAGES.flatMap((lang) =>
      MESSAGE_KEYS.filter(
        (k) => k.startsWith('metadata.') && typeof CATALOGUE[lang][k] !== 'string',
      ).map((k) => `${lang} ${k}`),
    );
    expect(plural).toEqual([]);
  });

  it.each(others)('%s is translated, not copied from English', (lang) => {
    const same = MESSAGE_KEYS.filter(
      (key) => JSON.stringify(CATALOGUE[lang][key]) === JSON.stringify(en[key]),
    );
    // '{company}' is the same everywhere; nothing else should be.
    expect(same).toEqual(['email.signature']);
  });

  const scripts: Record<SupportedLanguage, RegExp> = {
    en: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    es: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    fr: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    de: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    zh: /^[\p{Script=Han}\p{P}]+$/u,
    pt: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    ru: /^[\p{Script=Cyrillic}\p{P}\p{Zs}]+$/u,
    it: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    ar: /^[\p{Script=Arabic}\p{P}\p{Zs}]+$/u,
    tr: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    nl: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    fi: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    sv: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    nb: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    pl: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    da: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
    lt: /^[\p{Script=Latin}\p{P}\p{Zs}]+$/u,
  };

  it.each(SUPPORTED_LANGUAGES)('%s writes its page title and errors in its own script', (lang) => {
    for (const key of ['page.title', 'outcome.invalid_code', 'outcome.expired'] as const) {
      expect(CATALOGUE[lang][key]).toMatch(scripts[lang]);
    }
  });

  it.each(SUPPORTED_LANGUAGES)(
    '%s names itself as CLDR does (the language picker’s endonym)',
    (lang) => {
      const { tag } = LANGUAGE_INFO[lang];
      const cldr = new Intl.DisplayNames([tag], { type: 'language' }).of(
        lang === 'zh' ? tag : lang,
      );
      expect(String(CATALOGUE[lang]['language.endonym']).toLocaleLowerCase(tag)).toBe(
        cldr?.toLocaleLowerCase(tag),
      );
    },
  );
});
