/**
 * The gateway's response body as text a user may be shown (seed 000 "Application": the
 * originals show the HTTP 200 and 403 response values in the UI).
 *
 * The body comes from a server outside our control, so it is reduced to a short line of plain
 * text: decoded as UTF-8 (invalid bytes become U+FFFD), HTML tags removed, control, format and
 * bidirectional-override characters removed (no spoofed or reordered text), whitespace collapsed,
 * cut at {@link MAX_RESPONSE_TEXT} characters. Values the user must never see — above all the
 * code itself, in case the gateway echoes the request — are masked wherever they appear (a
 * numeric value also when its digits are spread out by spaces, dashes or removed tags), so a
 * gateway that echoes its input cannot turn the sign-in page into a second factor for anyone
 * who knows the password. The result is text: the page and the JSON API escape it for their
 * medium as they do every message.
 *
 * @module response-text
 */

/** Longest text shown (characters). */
export const MAX_RESPONSE_TEXT = 200;

/** What a masked value is replaced with. */
export const RESPONSE_MASK = '******';

/**
 * Sanitise a response body for display.
 *
 * @param body - the raw body (bytes or text)
 * @param masked - values to mask wherever they appear (the code, the header value…); empty
 *   strings are ignored
 * @returns one line of plain text, at most {@link MAX_RESPONSE_TEXT} characters ("" for none)
 * @example
 * ```ts
 * sanitiseResponseText('<p>Message   received.</p>', []); // 'Message received.'
 * sanitiseResponseText('sent 123456', ['123456']); // 'sent ******'
 * ```
 */
export function sanitiseResponseText(
  body: Buffer | string | undefined,
  masked: readonly string[],
): string {
  if (body === undefined) return '';
  let text = typeof body === 'string' ? body : body.toString('utf8');
  // Look at a bounded prefix only: a huge body is cut long before it could be shown.
  text = text.slice(0, 16_384);
  text = text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[A-Za-z!][^>]*>/g, ' ')
    // Cc (controls), Cf (format: bidi overrides, zero-width…), line/paragraph separators.
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');
  const values = [...masked].filter((v) => v !== '').sort((a, b) => b.length - a.length);
  for (const value of values) text = text.split(value).join(RESPONSE_MASK);
  // A numeric value (the code) is also masked when its digits arrive spread out — "123 456",
  // "1-2-3-4-5-6", or split by a tag that was removed above.
  const numeric = values.filter((v) => /^[0-9]+$/.test(v));
  if (numeric.length > 0) {
    text = text.replace(/[0-9](?:[\s.\-_/]*[0-9])*/g, (run) => {
      const digits = run.replace(/[^0-9]/g, '');
      return numeric.some((v) => digits.includes(v)) ? RESPONSE_MASK : run;
    });
  }
  text = text.replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return chars.length <= MAX_RESPONSE_TEXT
    ? text
    : `${chars
        .slice(0, MAX_RESPONSE_TEXT - 1)
        .join('')
        .trimEnd()}…`;
}
