/**
 * Sanitiser for the operator's ui_customization texts (`ui_login_text`, `ui_first_login_text`):
 * "simple HTML" — links, bold, lists — and nothing that runs, loads or styles anything.
 *
 * An allow-list on sanitize-html: a few inline and list tags, `a[href]` with http, https or
 * mailto only (entity-, whitespace- and case-tricks are decoded by the parser before the check),
 * `rel="noopener noreferrer"` forced on every link, no other attribute anywhere (no `on*`, no
 * `style`, no `class`). The content of script, style, svg, iframe … is dropped, not shown as text.
 * The page's CSP forbids scripts anyway; this is the second wall.
 *
 * @see seed 002 / 003 "UI customization" (ui_login_text, ui_first_login_text)
 * @module http
 */
import sanitizeHtml from 'sanitize-html';

/** The tags an operator may use. */
export const UI_TEXT_TAGS = [
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'br',
  'p',
  'span',
  'ul',
  'ol',
  'li',
  'small',
] as const;

/** Link schemes an operator may use. */
export const UI_TEXT_SCHEMES = ['http', 'https', 'mailto'] as const;

/** Longest input looked at (the config value is small; this bounds the parser's work). */
export const MAX_UI_TEXT_LENGTH = 16_384;

/** Tags whose whole content is dropped, not kept as text. */
const DROP_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'template',
  'title',
  'xmp',
  'plaintext',
  'head',
];

/**
 * An href is kept only when it is an absolute http(s) URL without credentials or a mailto:
 * address. The decision is made on what the WHATWG URL parser — the browser's — makes of it, so
 * whitespace, tabs, newlines, case and (already decoded) entities cannot smuggle another scheme.
 */
function safeHref(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined; // relative, protocol-relative without base, or garbage
  }
  if (url.protocol === 'mailto:') return url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...UI_TEXT_TAGS],
  allowedAttributes: { a: ['href', 'target', 'rel'] },
  allowedSchemes: [...UI_TEXT_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowedClasses: {},
  allowedStyles: {},
  parseStyleAttributes: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROP_WITH_CONTENT,
  enforceHtmlBoundary: false,
  nestingLimit: 16,
  transformTags: {
    a: (_tagName, attribs) => {
      const href = safeHref(attribs.href);
      const out: sanitizeHtml.Attributes = {};
      if (href !== undefined) {
        out.href = href;
        if (attribs.target !== undefined) out.target = '_blank';
        out.rel = 'noopener noreferrer';
      }
      return { tagName: 'a', attribs: out };
    },
  },
};

/**
 * Sanitise an operator's ui_customization text for the hosted page.
 *
 * @param html - the configured text (simple HTML); `undefined`/blank gives `''`
 * @returns HTML safe to place in element content: only {@link UI_TEXT_TAGS}, links with
 *   http/https/mailto hrefs and `rel="noopener noreferrer"`, no other attribute
 * @throws {TypeError} when `html` is neither a string nor undefined
 * @example
 * ```ts
 * sanitiseUiText('<b>Hi</b> <a href="https://help.example" onclick="x()">help</a><script>x()</script>');
 * // '<b>Hi</b> <a href="https://help.example/" rel="noopener noreferrer">help</a>'
 * ```
 */
export function sanitiseUiText(html: string | undefined): string {
  if (html === undefined) return '';
  if (typeof html !== 'string') throw new TypeError(`"html" must be a string, got ${typeof html}`);
  const input = html.length > MAX_UI_TEXT_LENGTH ? html.slice(0, MAX_UI_TEXT_LENGTH) : html;
  if (input.trim() === '') return '';
  return sanitizeHtml(input, OPTIONS).trim();
}
