import { describe, expect, it } from '@jest/globals';
import { SUPPORTED_LANGUAGES } from './languages.js';
import { METADATA_PROVIDERS, metadataFor, methodTexts, type MetadataProvider } from './metadata.js';
import { resolveLanguage } from './resolve-language.js';

describe('metadataFor', () => {
  it('gives the English names AD FS lists for each provider (seeds 002, 003)', () => {
    expect(metadataFor('qr-otp', 'en')).toEqual({
      friendlyName: 'Time Based OTP Authentication',
      description: 'Sign in with a one-time passcode from an authenticator app on your phone.',
    });
    expect(metadataFor('email-otp', 'en').friendlyName).toBe('Email Time Based OTP Authentication');
    expect(metadataFor('api-otp', 'en').friendlyName).toBe('API Time Based OTP Authentication');
  });

  it('answers in the requested language, resolving regions and falling back to English', () => {
    expect(metadataFor('qr-otp', 'de-CH').friendlyName).toBe('Zeitbasierte OTP-Authentifizierung');
    expect(metadataFor('email-otp', 'ja')).toEqual(metadataFor('email-otp', 'en'));
  });

  it('tells the three methods apart in every language', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      const names = METADATA_PROVIDERS.map((p) => metadataFor(p, lang).friendlyName);
      const descriptions = METADATA_PROVIDERS.map((p) => metadataFor(p, lang).description);
      expect(new Set(names).size).toBe(3);
      expect(new Set(descriptions).size).toBe(3);
    }
  });

  it('refuses an unknown provider', () => {
    expect(() => metadataFor('sms-otp' as MetadataProvider, 'en')).toThrow(
      new TypeError('"provider" must be one of qr-otp, email-otp, api-otp, got "sms-otp"'),
    );
  });
});

describe('methodTexts', () => {
  it('has a name and a description in each of the 17 languages', () => {
    const texts = methodTexts('email-otp');
    expect(Object.keys(texts.friendlyNames)).toEqual([...SUPPORTED_LANGUAGES]);
    expect(Object.keys(texts.descriptions)).toEqual([...SUPPORTED_LANGUAGES]);
    expect(texts.friendlyNames.fr).toBe('Authentification OTP basée sur le temps par e-mail');
    expect(texts.descriptions.ar).toBe(metadataFor('email-otp', 'ar').description);
  });

  it('lists one LCID per language, each resolving back to its language', () => {
    const { availableLcids } = methodTexts('qr-otp');
    expect(availableLcids).toHaveLength(17);
    expect(availableLcids[0]).toBe('1033');
    expect(availableLcids.map((lcid) => resolveLanguage(lcid))).toEqual([...SUPPORTED_LANGUAGES]);
  });

  it('refuses an unknown provider', () => {
    expect(() => methodTexts('win-otp' as MetadataProvider)).toThrow(TypeError);
  });
});
