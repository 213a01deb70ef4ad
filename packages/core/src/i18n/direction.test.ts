import { describe, expect, it } from '@jest/globals';
import { isRightToLeft, textDirection } from './direction.js';
import { SUPPORTED_LANGUAGES } from './languages.js';

describe('isRightToLeft / textDirection', () => {
  it('says Arabic is right to left, in any form of its identifier', () => {
    for (const lang of ['ar', 'ar-SA', 'AR-eg', 'ar_EG.UTF-8', '1025', '3073']) {
      expect(isRightToLeft(lang)).toBe(true);
      expect(textDirection(lang)).toBe('rtl');
    }
  });

  it.each(SUPPORTED_LANGUAGES.filter((lang) => lang !== 'ar'))(
    'says %s is left to right',
    (lang) => {
      expect(isRightToLeft(lang)).toBe(false);
      expect(textDirection(lang)).toBe('ltr');
    },
  );

  it('treats an unsupported language as the English it will be shown in (ltr, even for Hebrew)', () => {
    expect(isRightToLeft('he')).toBe(false);
    expect(textDirection('')).toBe('ltr');
  });

  it('refuses a non-string language', () => {
    expect(() => isRightToLeft(null as unknown as string)).toThrow(TypeError);
  });
});
