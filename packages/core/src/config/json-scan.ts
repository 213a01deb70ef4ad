/**
 * A tiny JSON locator: walks JSON text (RFC 8259) and reports the first syntax error with its
 * offset and an operator-friendly reason, and the top-level members with their line numbers
 * (for duplicate keys). `JSON.parse` remains the parser of record; its own messages differ
 * between V8 versions and some carry no position at all, hence this walker.
 *
 * Reasons never quote text from the file that could be part of a secret: only structural
 * characters and key names that look like key names are shown.
 *
 * @see RFC 8259 §2–§7
 * @module config
 */

/** A member of the top-level object. */
export interface TopLevelMember {
  /** The key, decoded. */
  key: string;
  /** 1-based line of the key. */
  line: number;
  /** The value's JSON text. */
  valueText: string;
}

/** Result of {@link scanJson}. */
export type ScanResult =
  { ok: true; members: TopLevelMember[] } | { ok: false; offset: number; reason: string };

class ScanFailure {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const MAX_DEPTH = 32;
const STRUCTURAL = new Set(['{', '}', '[', ']', ':', ',', '"', '\u201c', '\u201d', "'"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Line and column (1-based) of an offset. A line ends at `\n`, `\r\n` or a lone `\r`.
 *
 * @param text - the text
 * @param offset - a UTF-16 offset into it
 * @returns line and column
 * @example
 * ```ts
 * lineColumn('{\n  "a": x\n}', 9); // { line: 2, column: 8 }
 * ```
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i += 1) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function showKey(key: string): string {
  return /^[\w.$-]{1,64}$/.test(key) ? ` of "${key}"` : '';
}

/**
 * Walk JSON text.
 *
 * @param text - JSON text
 * @returns the top-level members, or the first error's offset and reason
 * @example
 * ```ts
 * scanJson('{"a": "1" "b": "2"}'); // { ok: false, offset: 10, reason: 'expected "," or "}" after the value of "a" …' }
 * ```
 */
export function scanJson(text: string): ScanResult {
  let i = 0;
  const members: TopLevelMember[] = [];

  const fail = (reason: string, at = i): never => {
    throw new ScanFailure(at, reason);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i += 1;
      else break;
    }
  };
  const unexpected = (expected: string): never => {
    if (i >= text.length) return fail(`the file ends where ${expected} was expected`);
    const c = text[i] ?? '';
    if (/[A-Za-z]/.test(c)) {
      return fail(
        `unquoted text where ${expected} was expected: write text values in double quotes ("…")`,
      );
    }
    if (c === "'")
      return fail(`a single quote where ${expected} was expected: JSON uses double quotes (")`);
    return fail(
      `unexpected ${STRUCTURAL.has(c) ? `"${c}"` : 'character'} where ${expected} was expected`,
    );
  };

  const string = (): void => {
    const start = i;
    i += 1;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n' || c === '\r') {
        fail(
          'this string is not closed: the closing " is missing before the end of the line',
          start,
        );
      } else if (c === '"') {
        i += 1;
        return;
      } else if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('bad \\u escape in a string (\\u + 4 hex digits)');
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') {
          i += 2;
        } else {
          fail(
            'a backslash in a string must be written \\\\ (e.g. "host\\\\instance", "C:\\\\certs\\\\mfa.pem")',
          );
        }
      } else if (c < ' ') {
        fail('a control character (e.g. a tab) inside a string must be escaped');
      } else {
        i += 1;
      }
    }
  };

  const value = (depth: number, top: boolean): void => {
    ws();
    if (depth > MAX_DEPTH) fail('the JSON is nested too deeply');
    const c = text[i];
    if (c === '{') object(depth + 1, top);
    else if (c === '[') array(depth + 1);
    else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m === null) fail('invalid number');
      i += m?.[0].length ?? 0;
      if (/[0-9A-Za-z.]/.test(text[i] ?? ''))
        fail('invalid number: write it as digits, or in double quotes');
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else unexpected('a value');
    if (/[A-Za-z0-9_]/.test(text[i] ?? '') && /[a-z]/.test(c ?? '')) {
      unexpected('"," or the end of the value');
    }
  };

  const object = (depth: number, top: boolean): void => {
    i += 1;
    ws();
    if (text[i] === '}') {
      i += 1;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') unexpected('a key in double quotes');
      const keyStart = i;
      string();
      const key = JSON.parse(text.slice(keyStart, i)) as string;
      ws();
      if (text[i] !== ':') unexpected(`":" after the key${showKey(key)}`);
      i += 1;
      ws();
      const valueStart = i;
      value(depth, false);
      if (top) {
        members.push({
          key,
          line: lineColumn(text, keyStart).line,
          valueText: text.slice(valueStart, i),
        });
      }
      ws();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === '}') {
        i += 1;
        return;
      }
      if (i >= text.length) fail('the file ends before the closing "}"');
      fail(
        `expected "," or "}" after the value${showKey(key)} (is a comma missing at the end of the line?)`,
      );
    }
  };

  const array = (depth: number): void => {
    i += 1;
    ws();
    if (text[i] === ']') {
      i += 1;
      return;
    }
    for (;;) {
      value(depth, false);
      ws();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === ']') {
        i += 1;
        return;
      }
      if (i >= text.length) fail('the file ends before the closing "]"');
      fail('expected "," or "]" in a list');
    }
  };

  try {
    ws();
    if (i >= text.length) fail('the file is empty: expected { "key": "value", … }');
    value(0, true);
    ws();
    if (i < text.length) unexpected('the end of the file (after the closing "}")');
    return { ok: true, members };
  } catch (err) {
    if (err instanceof ScanFailure) return { ok: false, offset: err.offset, reason: err.reason };
    throw err;
  }
}
