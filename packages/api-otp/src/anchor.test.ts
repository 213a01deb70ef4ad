import { describe, expect, it } from '@jest/globals';
import { MAX_ANCHOR_LENGTH, userAnchor } from './anchor.js';

describe('userAnchor (seed 000: UPN before "@", special characters removed, lower case)', () => {
  it.each([
    // the manual's example
    ['Test1.Test1@adatum.labnet', 'test1test1'],
    // dots, underscores, hyphens and every other ASCII special character
    ['first.last@example.com', 'firstlast'],
    ['first_last-2@example.com', 'firstlast2'],
    ["o'brien@example.com", 'obrien'],
    ['a!#$%&*+/=?^`{|}~b@example.com', 'ab'],
    ['  spaced name @example.com', 'spacedname'],
    // plus signs (sub-addressing) are special characters too: the tag is kept, the "+" goes
    ['alice+mfa@example.com', 'alicemfa'],
    ['+447700900123@sms.example', '447700900123'],
    // only the part before the first "@" counts
    ['alice@sub@example.com', 'alice'],
    ['ALICE@EXAMPLE.COM', 'alice'],
    // no "@": the whole name
    ['ADATUM\\Test1', 'adatumtest1'],
    ['plainuser', 'plainuser'],
    // unicode: accents fold to their base letter (NFKD, marks dropped)
    ['José.Müller@example.com', 'josemuller'],
    ['Ångström@example.com', 'angstrom'],
    ['Çağrı.Öztürk@example.com', 'cagrozturk'], // dotless ı has no ASCII base
    ['İlkay@example.com', 'ilkay'],
    ['cafe\u0301@example.com', 'cafe'], // already decomposed
    // compatibility forms fold: fullwidth letters, ligatures, superscripts, the Kelvin sign
    ['Ｔｅｓｔ１@example.com', 'test1'],
    ['ﬁnance@example.com', 'finance'],
    ['user²@example.com', 'user2'],
    ['\u212Aelvin@example.com', 'kelvin'],
    // letters without an ASCII base are removed
    ['Straße@example.com', 'strae'],
    ['Łukasz.Wrocław@example.com', 'ukaszwrocaw'],
    ['Søren@example.com', 'sren'],
    ['иван.петров@example.com', ''],
    ['王伟@example.com', ''],
    ['ivan.иванов7@example.com', 'ivan7'],
    ['party🎉time@example.com', 'partytime'],
    // invisible and control characters are removed, not kept
    ['ali\u200Bce@example.com', 'alice'],
    ['bo\u0000b@example.com', 'bob'],
    // nothing left
    ['@example.com', ''],
    ['...@example.com', ''],
    ['', ''],
  ])('%j → %j', (upn, anchor) => {
    expect(userAnchor(upn)).toBe(anchor);
  });

  it('always yields [a-z0-9]* (safe as a URL path segment without encoding)', () => {
    for (let cp = 0; cp < 0x3000; cp += 1) {
      const ch = String.fromCodePoint(cp);
      expect(userAnchor(`a${ch}b@x`)).toMatch(/^[a-z0-9]*$/);
    }
  });

  it(`cuts at ${MAX_ANCHOR_LENGTH} characters`, () => {
    expect(userAnchor(`${'a'.repeat(300)}@x`)).toBe('a'.repeat(MAX_ANCHOR_LENGTH));
  });

  it('rejects a non-string with a TypeError', () => {
    expect(() => userAnchor(42 as unknown as string)).toThrow(TypeError);
  });
});
