import { describe, expect, it } from '@jest/globals';
import { MAX_RESPONSE_TEXT, RESPONSE_MASK, sanitiseResponseText } from './response-text.js';

describe('sanitiseResponseText', () => {
  it.each([
    ['Message received.', 'Message received.'],
    ['{"body": "Message received."}', '{"body": "Message received."}'],
    ['  several\n\n lines\tand   spaces ', 'several lines and spaces'],
    ['<html><body><h1>Forbidden</h1><p>Bad key</p></body></html>', 'Forbidden Bad key'],
    ['<script>alert(1)</script>OK', 'OK'],
    ['<style>p{}</style><!-- hidden -->shown', 'shown'],
    ['a < b and c > d', 'a < b and c > d'],
    ['evil\u202Etxt.exe', 'evil txt.exe'],
    ['zero\u200Bwidth', 'zero width'],
    ['bell\u0007 and nul\u0000', 'bell and nul'],
    ['', ''],
  ])('%j → %j', (body, shown) => {
    expect(sanitiseResponseText(body, [])).toBe(shown);
  });

  it('decodes bytes as UTF-8, invalid sequences as U+FFFD', () => {
    expect(sanitiseResponseText(Buffer.from('Zugriff verweigert – Schlüssel'), [])).toBe(
      'Zugriff verweigert – Schlüssel',
    );
    expect(sanitiseResponseText(Buffer.from([0x6f, 0x6b, 0xff]), [])).toBe('ok\uFFFD');
  });

  it('masks the code and other values wherever they appear (a gateway that echoes)', () => {
    expect(
      sanitiseResponseText('received "securemfa api otp code: 123456" with key K3y-V4lue', [
        '123456',
        'K3y-V4lue',
        '',
      ]),
    ).toBe(`received "securemfa api otp code: ${RESPONSE_MASK}" with key ${RESPONSE_MASK}`);
    expect(sanitiseResponseText('{"otp":"123456"}', ['123456'])).not.toContain('123456');
  });

  it.each([
    ['code 123<b>456</b>', `code ${RESPONSE_MASK}`],
    ['code 123 456', `code ${RESPONSE_MASK}`],
    ['code 1-2-3-4-5-6.', `code ${RESPONSE_MASK}.`],
    ['ref 9912345678 ok', `ref 99${RESPONSE_MASK}78 ok`],
    ['sent at 16:35, id 42', 'sent at 16:35, id 42'],
  ])('masks the code when its digits are spread out: %j → %j', (body, shown) => {
    expect(sanitiseResponseText(body, ['123456'])).toBe(shown);
  });

  it(`cuts at ${MAX_RESPONSE_TEXT} characters with an ellipsis`, () => {
    const shown = sanitiseResponseText('x'.repeat(10_000), []);
    expect([...shown].length).toBe(MAX_RESPONSE_TEXT);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('is "" for no body', () => {
    expect(sanitiseResponseText(undefined, ['123456'])).toBe('');
  });
});
