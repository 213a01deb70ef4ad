import { describe, expect, it } from '@jest/globals';
import { sanitiseUiText } from './sanitise-ui-text.js';

/** Nothing that can run or load: checked on every output of the XSS table. */
function expectInert(out: string): void {
  expect(out).not.toMatch(
    /<\s*(script|style|iframe|svg|math|object|embed|img|form|input|link|meta|base|template)/i,
  );
  expect(out).not.toMatch(/\son[a-z]+\s*=/i);
  expect(out).not.toMatch(/javascript:|vbscript:|data:/i);
  expect(out).not.toMatch(/\sstyle\s*=/i);
  expect(out).not.toMatch(/\sclass\s*=/i);
}

describe('sanitiseUiText: what an operator may write', () => {
  it('keeps the simple tags of the allow-list', () => {
    const html =
      '<p><b>Bold</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u> <small>s</small><br><span>x</span></p><ul><li>a</li></ul><ol><li>b</li></ol>';
    expect(sanitiseUiText(html)).toBe(
      '<p><b>Bold</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u> <small>s</small><br /><span>x</span></p><ul><li>a</li></ul><ol><li>b</li></ol>',
    );
  });

  it('keeps https, http and mailto links and forces rel="noopener noreferrer"', () => {
    expect(sanitiseUiText('<a href="https://help.example/faq?a=1&amp;b=2">help</a>')).toBe(
      '<a href="https://help.example/faq?a=1&amp;b=2" rel="noopener noreferrer">help</a>',
    );
    expect(sanitiseUiText('<a href="http://help.example">x</a>')).toBe(
      '<a href="http://help.example/" rel="noopener noreferrer">x</a>',
    );
    expect(sanitiseUiText('<a href="mailto:support@example.com">mail</a>')).toBe(
      '<a href="mailto:support@example.com" rel="noopener noreferrer">mail</a>',
    );
  });

  it('replaces an operator rel and turns any target into _blank', () => {
    expect(sanitiseUiText('<a href="https://x.example/" target="top" rel="opener">x</a>')).toBe(
      '<a href="https://x.example/" target="_blank" rel="noopener noreferrer">x</a>',
    );
  });

  it('returns an empty string for undefined or blank input', () => {
    expect(sanitiseUiText(undefined)).toBe('');
    expect(sanitiseUiText('   \n ')).toBe('');
  });

  it('escapes text that only looks like markup', () => {
    expect(sanitiseUiText('1 < 2 & 3 > 2')).toBe('1 &lt; 2 &amp; 3 &gt; 2');
  });

  it('refuses a non-string with TypeError', () => {
    expect(() => sanitiseUiText(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('sanitiseUiText: XSS table', () => {
  const table: Array<[name: string, input: string, expected: string]> = [
    ['script tag, content dropped', 'Hi<script>alert(1)</script>!', 'Hi!'],
    ['script tag, upper case and attributes', 'a<SCRIPT src=//evil.example/x.js></SCRIPT>b', 'ab'],
    ['unclosed script swallows the rest', 'ok<script>alert(1)', 'ok'],
    ['img onerror', '<img src=x onerror=alert(1)>text', 'text'],
    [
      'event handler on an allowed tag',
      '<b onclick="alert(1)" onmouseover=alert(2)>b</b>',
      '<b>b</b>',
    ],
    [
      'style attribute and class',
      '<span style="background:url(javascript:alert(1))" class="x">s</span>',
      '<span>s</span>',
    ],
    ['style element', '<style>body{background:red}</style>text', 'text'],
    ['iframe', '<iframe src="https://evil.example"></iframe>after', 'after'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>">x</iframe>y', 'y'],
    ['svg with onload', '<svg onload=alert(1)><circle r=1 /></svg>z', 'z'],
    ['svg script', '<svg><script>alert(1)</script></svg>z', 'z'],
    [
      'math / mglyph mutation',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '',
    ],
    ['object and embed', '<object data="x.swf"></object><embed src="x.swf">e', 'e'],
    [
      'form elements',
      '<form action="https://evil.example"><input name="p"><button>go</button></form>',
      'go',
    ],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">m', 'm'],
    ['base tag', '<base href="https://evil.example/">b', 'b'],
    ['link tag', '<link rel="stylesheet" href="https://evil.example/x.css">l', 'l'],
    ['javascript: href', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['javascript: href, mixed case', '<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    [
      'javascript: href, leading whitespace',
      '<a href="  \t javascript:alert(1)">x</a>',
      '<a>x</a>',
    ],
    [
      'javascript: href, tab inside the scheme',
      '<a href="java\tscript:alert(1)">x</a>',
      '<a>x</a>',
    ],
    [
      'javascript: href, newline inside the scheme',
      '<a href="java\nscript:alert(1)">x</a>',
      '<a>x</a>',
    ],
    [
      'javascript: href, decimal entities',
      '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
      '<a>x</a>',
    ],
    [
      'javascript: href, hex entities without semicolons',
      '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
      '<a>x</a>',
    ],
    ['javascript: href, &colon; entity', '<a href="javascript&colon;alert(1)">x</a>', '<a>x</a>'],
    ['javascript: href, entity tab', '<a href="jav&#x09;ascript:alert(1)">x</a>', '<a>x</a>'],
    ['javascript: href, unquoted', '<a href=javascript:alert(1)>x</a>', '<a>x</a>'],
    ['vbscript: href', '<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'],
    [
      'data: href',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
      '<a>x</a>',
    ],
    ['relative href', '<a href="/admin">x</a>', '<a>x</a>'],
    ['protocol-relative href', '<a href="//evil.example/">x</a>', '<a>x</a>'],
    ['credentials in an http href', '<a href="https://user:pass@evil.example/">x</a>', '<a>x</a>'],
    [
      'attribute breaking out of quotes',
      '<a href="https://x.example/" onmouseover="alert(1)">x</a>',
      '<a href="https://x.example/" rel="noopener noreferrer">x</a>',
    ],
    ['broken tag soup', '<<b>>x<</b>', '&lt;<b>&gt;x&lt;</b>'],
    ['unclosed allowed tag', '<b>open', '<b>open</b>'],
    ['unclosed attribute', '<a href="https://x.example/ onclick=alert(1)>x', ''],
    [
      'html comment with conditional payload',
      '<!--[if IE]><script>alert(1)</script><![endif]-->c',
      'c',
    ],
    ['CDATA', '<![CDATA[<script>alert(1)</script>]]>d', 'd'],
    ['noscript', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ''],
    ['template', '<template><script>alert(1)</script></template>t', 't'],
    ['textarea breakout', '<textarea></textarea><script>alert(1)</script>', ''],
    ['title breakout', '<title></title><img src=x onerror=alert(1)>', ''],
    ['nested quotes in text', '"><script>alert(1)</script>', '"&gt;'],
  ];

  it.each(table)('%s', (_name, input, expected) => {
    const out = sanitiseUiText(input);
    expect(out).toBe(expected);
    expectInert(out);
  });

  it('bounds the work on a huge input', () => {
    const out = sanitiseUiText(`<b>${'x'.repeat(100_000)}</b>`);
    expect(out.length).toBeLessThan(20_000);
    expect(out.startsWith('<b>x')).toBe(true);
  });

  it('drops a deeply nested structure beyond the nesting limit without throwing', () => {
    const out = sanitiseUiText(`${'<span>'.repeat(200)}deep${'</span>'.repeat(200)}`);
    expect(out).toContain('deep');
    expectInert(out);
  });
});
