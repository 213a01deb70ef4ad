import { describe, expect, it } from '@jest/globals';
import { formatNumber, formatTime } from './format-time.js';

// 2026-03-14 13:07:00 UTC: an afternoon hour, so 12- and 24-hour clocks differ.
const at = new Date('2026-03-14T13:07:00Z');

describe('formatTime', () => {
  it.each([
    ['de', '13:07'],
    ['fr', '13:07'],
    ['ru', '13:07'],
    ['pl', '13:07'],
    ['lt', '13:07'],
    ['zh', '13:07'],
    ['sv', '13:07'],
    ['nb', '13:07'],
    ['fi', '13.07'],
    ['da', '13.07'],
  ] as const)('writes the hour and minutes of %s: %s', (lang, want) => {
    expect(formatTime(at, lang, 'UTC')).toBe(want);
  });

  it('uses a 12-hour clock in English and keeps the hour', () => {
    expect(formatTime(at, 'en', 'UTC')).toMatch(/^1:07\s?PM$/u);
  });

  it('keeps Latin digits in Arabic (the codes users type are ASCII)', () => {
    const text = formatTime(at, 'ar', 'UTC');
    expect(text).toContain('1:07');
    expect(text).not.toMatch(/[\u0660-\u0669\u06f0-\u06f9]/);
  });

  it('converts to the given time zone', () => {
    expect(formatTime(at, 'de', 'Europe/Vilnius')).toBe('15:07');
    expect(formatTime(at, 'de', 'Asia/Tokyo')).toBe('22:07');
    expect(formatTime(at, 'lt', 'America/New_York')).toBe('09:07');
  });

  it('formats unknown languages as English and regional tags as their language', () => {
    expect(formatTime(at, 'ja', 'UTC')).toBe(formatTime(at, 'en', 'UTC'));
    expect(formatTime(at, 'fi-FI', 'UTC')).toBe('13.07');
  });

  it('refuses an invalid date (TypeError) and an unknown zone (RangeError)', () => {
    expect(() => formatTime(new Date(Number.NaN), 'en')).toThrow(
      new TypeError('"date" must be a valid Date'),
    );
    expect(() => formatTime('2026-03-14' as unknown as Date, 'en')).toThrow(TypeError);
    expect(() => formatTime(at, 'en', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('formatNumber', () => {
  it('groups digits by the language and always uses Latin digits', () => {
    expect(formatNumber(1500, 'de')).toBe('1.500');
    expect(formatNumber(1500, 'en')).toBe('1,500');
    expect(formatNumber(60, 'ar')).toBe('60');
    expect(formatNumber(6, 'zh')).toBe('6');
  });

  it('refuses a non-finite number', () => {
    expect(() => formatNumber(Number.POSITIVE_INFINITY, 'en')).toThrow(TypeError);
  });
});
