/**
 * Look up a string in the user's language and fill in its `{name}` placeholders.
 *
 * HTML safety — the decision: **`t()` returns plain text**; its params are inserted verbatim
 * (an e-mail body, a PAM prompt, JSON `presentation.message`, a log line need no escaping, and
 * escaping them there would show `&amp;` to users). **`tHtml()` returns the same text
 * HTML-escaped** — template and params together, which is safe because catalogue strings hold
 * no markup (the catalogue test forbids `<`, `>` and `&`) — for element content and quoted
 * attribute values. Anything building HTML uses `tHtml` or escapes `t()`'s result itself;
 * operator HTML (`ui_login_text`) is sanitised elsewhere and never passes through here.
 *
 * Params are substituted in one pass, so a param value containing `{code}` stays literal.
 *
 * @module i18n
 */
import { CATALOGUE } from './catalogue.js';
import { escapeHtml } from './escape-html.js';
import { formatNumber } from './format-time.js';
import { LANGUAGE_INFO, type SupportedLanguage } from './languages.js';
import {
  isMessageKey,
  type Message,
  type MessageKey,
  type MessageParamName,
  type MessageParams,
  type PluralMessage,
} from './messages.js';
import { PLACEHOLDER, placeholdersOf } from './placeholders.js';
import { resolveLanguage } from './resolve-language.js';

/** The params argument of {@link t} for key `K`: required exactly when the message has placeholders. */
export type TranslateArgs<K extends MessageKey> = [MessageParamName<K>] extends [never]
  ? [params?: Readonly<Record<string, never>>]
  : [params: MessageParams<K>];

type ParamValues = Readonly<Record<string, unknown>>;

const pluralRules = new Map<SupportedLanguage, Intl.PluralRules>();
const requiredParams = new Map<MessageKey, { names: readonly string[]; count?: string }>();

/**
 * The params a key needs, from the English source, so that what a call must pass never depends
 * on the language: every placeholder name, and the English plural param (which must be a number).
 */
function paramsOf(key: MessageKey): { names: readonly string[]; count?: string } {
  let spec = requiredParams.get(key);
  if (spec === undefined) {
    const source: Message = CATALOGUE.en[key];
    spec =
      typeof source === 'string'
        ? { names: placeholdersOf(source) }
        : {
            names: [
              ...new Set([
                source.plural,
                ...Object.entries(source).flatMap(([k, v]) =>
                  k === 'plural' ? [] : placeholdersOf(v),
                ),
              ]),
            ],
            count: source.plural,
          };
    requiredParams.set(key, spec);
  }
  return spec;
}

/**
 * The template of a plural message for a count, by the language's CLDR rules. A translation may
 * make plural a param English inserts as text (Arabic `{digits}`): a numeric string counts as
 * its number, and anything else gets the `other` form rather than an error only that language
 * would raise.
 */
function pluralTemplate(
  message: PluralMessage,
  language: SupportedLanguage,
  value: unknown,
): string {
  const count =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(count)) return message.other;
  let rules = pluralRules.get(language);
  if (rules === undefined) {
    rules = new Intl.PluralRules(LANGUAGE_INFO[language].tag);
    pluralRules.set(language, rules);
  }
  return message[rules.select(count)] ?? message.other;
}

/** Render one (checked) param value: strings verbatim, numbers in the language's format. */
function render(value: unknown, language: SupportedLanguage): string {
  return typeof value === 'number' ? formatNumber(value, language) : String(value);
}

/**
 * Translate a message key into a language, filling in `{name}` placeholders (plain text; see
 * the module notes and {@link tHtml} for HTML).
 *
 * The language may be any identifier `resolveLanguage` accepts (`'de-AT'`, `'nn'`, `'1031'`);
 * an unknown one falls back to English rather than failing a sign-in. Numbers are formatted for
 * the language; a plural message picks its form from the number (CLDR plural rules).
 *
 * @param lang - the user's language (normally already negotiated)
 * @param key - the message key
 * @param params - the placeholders' values (required exactly when the key has placeholders)
 * @returns the text
 * @throws {TypeError} when `lang` is not a string, the key is unknown, a param is missing, or a
 *   param is neither a string nor a finite number (a plural count must be a number)
 * @example
 * ```ts
 * t('de', 'outcome.invalid_code'); // 'Der Code ist nicht korrekt. Versuchen Sie es erneut.'
 * t('ru', 'page.cooldown', { seconds: 3 }); // 'Новый код можно запросить через 3 секунды.'
 * t('fr', 'login.code_sent_email', { destination: 'j***@example.com', time: '15:07' });
 * // 'Nous avons envoyé un code à j***@example.com. Il est valable jusqu’à 15:07.'
 * ```
 */
export function t<K extends MessageKey>(
  lang: SupportedLanguage | string,
  key: K,
  ...[params]: TranslateArgs<K>
): string {
  if (typeof lang !== 'string') throw new TypeError(`"lang" must be a string, got ${typeof lang}`);
  if (!isMessageKey(key)) throw new TypeError(`unknown message key "${String(key)}"`);
  if (params !== undefined && (typeof params !== 'object' || params === null)) {
    throw new TypeError(`t("${lang}", "${key}"): params must be an object`);
  }
  const language = resolveLanguage(lang) ?? 'en';
  const values: ParamValues = params ?? {};
  const spec = paramsOf(key);
  for (const name of spec.names) {
    if (!Object.hasOwn(values, name)) {
      throw new TypeError(`t("${language}", "${key}"): missing param "${name}"`);
    }
    const value = values[name];
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new TypeError(
        `t("${language}", "${key}"): param "${name}" must be a string or a finite number, got ${
          typeof value === 'number' ? String(value) : typeof value
        }`,
      );
    }
  }
  if (spec.count !== undefined) {
    const count = values[spec.count];
    if (typeof count !== 'number' || !Number.isFinite(count)) {
      throw new TypeError(
        `t("${language}", "${key}"): param "${spec.count}" selects the plural form and must be a finite number`,
      );
    }
  }

  const message: Message = CATALOGUE[language][key];
  const template =
    typeof message === 'string'
      ? message
      : pluralTemplate(message, language, values[message.plural]);
  return template.replace(PLACEHOLDER, (_match, name: string) => render(values[name], language));
}

/**
 * {@link t}, HTML-escaped: for element content and quoted attribute values. Template and params
 * are escaped together (catalogue strings hold no markup, so nothing meant as HTML is lost).
 * Wrap inserted left-to-right values in `<bdi>` yourself when the page is right-to-left.
 *
 * @param lang - the user's language
 * @param key - the message key
 * @param params - the placeholders' values
 * @returns HTML-safe text
 * @throws {TypeError} as {@link t}
 * @example
 * ```ts
 * tHtml('en', 'email.greeting', { account: '<Bob & "Alice">' });
 * // 'Hello &lt;Bob &amp; &quot;Alice&quot;&gt;,'
 * ```
 */
export function tHtml<K extends MessageKey>(
  lang: SupportedLanguage | string,
  key: K,
  ...args: TranslateArgs<K>
): string {
  return escapeHtml(t(lang, key, ...args));
}
