/**
 * The per-language friendly name and description of each provider's authentication method, for
 * the adapter metadata. AD FS shows the friendly name in its "choose a method" list and in the
 * admin console ("Time Based OTP Authentication", "Email Time Based OTP Authentication").
 *
 * @see seed 002 / seed 003 "Verification" (the names AD FS lists)
 * @module i18n
 */
import { CATALOGUE } from './catalogue.js';
import { LANGUAGE_INFO, SUPPORTED_LANGUAGES, type SupportedLanguage } from './languages.js';
import type { Message } from './messages.js';
import { resolveLanguage } from './resolve-language.js';

/** The providers that present an authentication method. */
export const METADATA_PROVIDERS = ['qr-otp', 'email-otp', 'api-otp'] as const;

/** One of {@link METADATA_PROVIDERS}. */
export type MetadataProvider = (typeof METADATA_PROVIDERS)[number];

/** A method's name and description in one language. */
export interface MethodText {
  friendlyName: string;
  description: string;
}

/** A method's texts in every language, shaped for `AdapterMetadata`. */
export interface MethodTexts {
  /** Friendly name per supported language code. */
  friendlyNames: Record<SupportedLanguage, string>;
  /** Description per supported language code. */
  descriptions: Record<SupportedLanguage, string>;
  /** The LCIDs of the supported languages, as decimal strings (AD FS `AvailableLcids`). */
  availableLcids: string[];
}

function checkProvider(provider: MetadataProvider): void {
  if (!(METADATA_PROVIDERS as readonly string[]).includes(provider)) {
    throw new TypeError(
      `"provider" must be one of ${METADATA_PROVIDERS.join(', ')}, got ${JSON.stringify(provider)}`,
    );
  }
}

/** A message as plain text; metadata entries have no params and are never plural in practice. */
function plain(message: Message): string {
  return typeof message === 'string' ? message : message.other;
}

/** Both texts of one method in one (supported) language. */
function textIn(provider: MetadataProvider, language: SupportedLanguage): MethodText {
  const strings = CATALOGUE[language];
  return {
    friendlyName: plain(strings[`metadata.${provider}.name`]),
    description: plain(strings[`metadata.${provider}.description`]),
  };
}

/**
 * A provider's method name and description in one language.
 *
 * @param provider - `'qr-otp'`, `'email-otp'` or `'api-otp'`
 * @param lang - a supported language or any identifier `resolveLanguage` accepts; unknown → en
 * @returns the friendly name and description
 * @throws {TypeError} when `provider` is not one of the three or `lang` is not a string
 * @example
 * ```ts
 * metadataFor('email-otp', 'en').friendlyName; // 'Email Time Based OTP Authentication'
 * metadataFor('qr-otp', 'de').friendlyName;    // 'Zeitbasierte OTP-Authentifizierung'
 * ```
 */
export function metadataFor(
  provider: MetadataProvider,
  lang: SupportedLanguage | string,
): MethodText {
  checkProvider(provider);
  return textIn(provider, resolveLanguage(lang) ?? 'en');
}

/**
 * A provider's method names and descriptions in every supported language, with the LCIDs —
 * the `friendlyNames`, `descriptions` and `availableLcids` of `AdapterMetadata`.
 *
 * @param provider - `'qr-otp'`, `'email-otp'` or `'api-otp'`
 * @returns the texts keyed by language code, and the LCIDs
 * @throws {TypeError} when `provider` is not one of the three
 * @example
 * ```ts
 * const { friendlyNames, availableLcids } = methodTexts('qr-otp');
 * friendlyNames.fr;  // 'Authentification OTP basée sur le temps'
 * availableLcids[0]; // '1033'
 * ```
 */
export function methodTexts(provider: MetadataProvider): MethodTexts {
  checkProvider(provider);
  const friendlyNames = {} as Record<SupportedLanguage, string>;
  const descriptions = {} as Record<SupportedLanguage, string>;
  for (const language of SUPPORTED_LANGUAGES) {
    const text = textIn(provider, language);
    friendlyNames[language] = text.friendlyName;
    descriptions[language] = text.description;
  }
  return {
    friendlyNames,
    descriptions,
    availableLcids: SUPPORTED_LANGUAGES.map((language) => String(LANGUAGE_INFO[language].lcid)),
  };
}
