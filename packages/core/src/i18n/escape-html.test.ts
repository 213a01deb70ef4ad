import { describe, expect, it } from '@jest/globals';
import { escapeHtml } from './escape-html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or close an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('leaves other text, including non-Latin scripts, unchanged', () => {
    expect(escapeHtml('رمز 123 код 验证码 ’')).toBe('رمز 123 код 验证码 ’');
  });

  it('refuses a non-string', () => {
    expect(() => escapeHtml(undefined as unknown as string)).toThrow(TypeError);
  });
});
