/**
 * i18n: the user-interface strings in the 17 languages of seed 002, language negotiation,
 * writing direction, time formatting and the adapter metadata texts.
 *
 * - {@link t} / {@link tHtml}: a key in a language, `{name}` placeholders filled in (plain text
 *   / HTML-escaped).
 * - {@link negotiateLanguage}: explicit choice and `Accept-Language` → a supported language.
 * - {@link isRightToLeft}, {@link textDirection}: Arabic is right to left.
 * - {@link formatTime}: "valid until {time}".
 * - {@link metadataFor}, {@link methodTexts}: friendly names/descriptions per provider.
 *
 * @see seed 002 "Multi-language UI"
 * @module i18n
 */
export { CATALOGUE } from './catalogue.js';
export { isRightToLeft, textDirection } from './direction.js';
export { escapeHtml } from './escape-html.js';
export { formatNumber, formatTime } from './format-time.js';
export {
  DEFAULT_LANGUAGE,
  LANGUAGE_INFO,
  SUPPORTED_LANGUAGES,
  isSupportedLanguage,
} from './languages.js';
export type { LanguageInfo, SupportedLanguage } from './languages.js';
export { MESSAGE_KEYS, PLURAL_CATEGORIES, isMessageKey } from './messages.js';
export type {
  Message,
  MessageCountName,
  MessageKey,
  MessageParamName,
  MessageParams,
  Messages,
  PluralCategory,
  PluralMessage,
} from './messages.js';
export { METADATA_PROVIDERS, metadataFor, methodTexts } from './metadata.js';
export type { MetadataProvider, MethodText, MethodTexts } from './metadata.js';
export { negotiateLanguage } from './negotiate.js';
export { placeholdersOf } from './placeholders.js';
export type { PlaceholdersIn } from './placeholders.js';
export { resolveLanguage } from './resolve-language.js';
export { t, tHtml } from './t.js';
export type { TranslateArgs } from './t.js';
