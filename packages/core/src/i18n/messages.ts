/**
 * The message keys and the shape every language's strings must have. The English file
 * (`strings/en.ts`) is the source of truth: its keys are {@link MessageKey}, and every other
 * language is typed {@link Messages}, so a missing or extra key is a compile error. The
 * catalogue test checks the same at run time, plus placeholders and plural forms.
 *
 * A message is a string with `{name}` placeholders, or — where a number changes the grammar, as
 * in Russian "1 секунду / 2 секунды / 5 секунд" — a {@link PluralMessage}: one string per CLDR
 * plural category, chosen with `Intl.PluralRules`. Each language decides for itself: English
 * `outcome.malformed` is a plain string ("Enter the {digits}-digit code."), Arabic's is plural.
 *
 * @see https://cldr.unicode.org/index/cldr-spec/plural-rules
 * @module i18n
 */
import type { PlaceholdersIn } from './placeholders.js';
import { en } from './strings/en.js';

/** The CLDR plural categories, in `Intl.PluralRules` terms. */
export const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/** One CLDR plural category. */
export type PluralCategory = (typeof PLURAL_CATEGORIES)[number];

/**
 * A message whose wording depends on a number. `plural` names the param that selects the form;
 * `other` is required and used for any category the language's rules produce but the message
 * lacks (the catalogue test requires every category of the language, so that is a safety net).
 */
export type PluralMessage<Param extends string = string> = {
  readonly plural: Param;
  readonly other: string;
} & { readonly [C in Exclude<PluralCategory, 'other'>]?: string };

/** One catalogue entry: a template, or plural templates selected by the param `Param`. */
export type Message<Param extends string = string> = string | PluralMessage<Param>;

/** The English catalogue's type, with its literal strings (the source of truth). */
export type SourceMessages = typeof en;

/** Every message key, e.g. `'outcome.invalid_code'`. */
export type MessageKey = keyof SourceMessages;

/** The placeholder names of one English entry (all plural forms, plus the plural param). */
type ParamNamesOf<M> = M extends string
  ? PlaceholdersIn<M>
  : M extends { readonly plural: infer P extends string }
    ? P | PlaceholdersIn<M[Exclude<keyof M, 'plural'>]>
    : never;

/** The params key `K` takes, e.g. `'destination' | 'time'` for `login.code_sent_email`. */
export type MessageParamName<K extends MessageKey> = ParamNamesOf<SourceMessages[K]>;

/** The English plural param of key `K` (`'seconds'` for `page.cooldown`), or never. */
export type MessageCountName<K extends MessageKey> = SourceMessages[K] extends {
  readonly plural: infer P extends string;
}
  ? P
  : never;

/**
 * The params object `t()` needs for key `K`: text or numbers (formatted for the language); the
 * English plural param must be a number, since it selects the form.
 */
export type MessageParams<K extends MessageKey> = {
  readonly [P in MessageParamName<K>]: P extends MessageCountName<K> ? number : string | number;
};

/**
 * What every language file must be: exactly the English keys; a plural entry may only be
 * selected by one of that key's English placeholders.
 */
export type Messages = { readonly [K in MessageKey]: Message<MessageParamName<K>> };

/** Every message key, in the order of the English file. */
export const MESSAGE_KEYS: readonly MessageKey[] = Object.freeze(Object.keys(en) as MessageKey[]);

/**
 * Whether a value is a message key (for keys arriving from JavaScript callers or JSON).
 *
 * @param value - anything
 * @returns true when `value` is one of {@link MESSAGE_KEYS}
 * @example
 * ```ts
 * isMessageKey('outcome.locked'); // true
 * isMessageKey('toString');       // false
 * ```
 */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value);
}
