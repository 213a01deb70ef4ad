/**
 * All languages' strings in one table, keyed by {@link SupportedLanguage}. Adding a language is
 * a new `strings/<code>.ts` typed `Messages`, an entry here and one in `languages.ts`: the type
 * system refuses a table with a language missing, and a language with a key missing or extra.
 *
 * @module i18n
 */
import type { SupportedLanguage } from './languages.js';
import type { Messages } from './messages.js';
import { ar } from './strings/ar.js';
import { da } from './strings/da.js';
import { de } from './strings/de.js';
import { en } from './strings/en.js';
import { es } from './strings/es.js';
import { fi } from './strings/fi.js';
import { fr } from './strings/fr.js';
import { it } from './strings/it.js';
import { lt } from './strings/lt.js';
import { nb } from './strings/nb.js';
import { nl } from './strings/nl.js';
import { pl } from './strings/pl.js';
import { pt } from './strings/pt.js';
import { ru } from './strings/ru.js';
import { sv } from './strings/sv.js';
import { tr } from './strings/tr.js';
import { zh } from './strings/zh.js';

/** Every language's strings. English is the source of truth for keys and placeholders. */
export const CATALOGUE: Readonly<Record<SupportedLanguage, Messages>> = Object.freeze({
  en,
  es,
  fr,
  de,
  zh,
  pt,
  ru,
  it,
  ar,
  tr,
  nl,
  fi,
  sv,
  nb,
  pl,
  da,
  lt,
});
