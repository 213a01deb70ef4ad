/**
 * HTML escaping for text placed in element content or in a quoted attribute value.
 *
 * @module i18n
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escape `& < > " '` so that text cannot open a tag, an entity or leave a quoted attribute.
 * Not for URLs in `href` (a `javascript:` URL needs no special characters) or `<script>`.
 *
 * @param text - plain text
 * @returns the text with the five characters replaced by entities
 * @throws {TypeError} when `text` is not a string
 * @example
 * ```ts
 * escapeHtml('<b>"Tom & Jerry\'s"</b>'); // '&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  if (typeof text !== 'string') throw new TypeError(`"text" must be a string, got ${typeof text}`);
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
