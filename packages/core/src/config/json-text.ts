/**
 * Reading a configuration file's text as operators produce it: copied from the vendor manuals
 * (typographic quotes “ ” used as JSON quotes, non-breaking spaces as indentation, a trailing
 * comma after the last pasted line) and saved by Windows editors (UTF-8 or UTF-16 with a BOM).
 *
 * Those artefacts are repaired **with a warning**, never silently, and only where the JSON would
 * otherwise be invalid: text inside correctly quoted strings is never touched. Every repair
 * replaces one character by one character, so the line and column of a remaining syntax error
 * are those of the original file.
 *
 * @see seed 003 sample (`"ui_login_text": “”,`), seed 001 sample (non-breaking spaces),
 *   seeds 001/002 (`"login_text": "Enter a code received from MFA Email Authenticator.”`)
 * @module config
 */
import { ConfigError, type ConfigIssue } from '../errors.js';
import { lineColumn, scanJson } from './json-scan.js';

/** Kinds of repaired artefacts. */
export type RepairKind = 'typographic-quotes' | 'unicode-spaces' | 'trailing-comma';

/** Result of {@link repairJsonText}. */
export interface RepairResult {
  /** The repaired text (same length as the input). */
  text: string;
  /** What was repaired, with the (1-based) lines. */
  repairs: { kind: RepairKind; lines: number[] }[];
}

const TYPOGRAPHIC_QUOTES = new Set(['\u201c', '\u201d', '\u201e', '\u201f', '\u2033']);
const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]/;

function isSpace(c: string | undefined): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === '\r' ||
    (c !== undefined && UNICODE_SPACE.test(c))
  );
}

/**
 * Repair copy-and-paste artefacts outside JSON strings (length-preserving):
 * - a typographic quote where a JSON quote must be (`: “value”,`, `"value”` at the end of a
 *   line) → `"`;
 * - non-breaking and other Unicode spaces between tokens → a space;
 * - a comma directly before `}` or `]` → a space;
 * - a byte-order mark at the start → a space.
 *
 * @param input - the file text
 * @returns the repaired text and what was repaired
 * @example
 * ```ts
 * repairJsonText('{"ui_login_text": “”}').text; // '{"ui_login_text": ""}'
 * ```
 */
export function repairJsonText(input: string): RepairResult {
  const out = input.split('');
  const found = new Map<RepairKind, number[]>();
  const lineStarts = [0];
  for (let k = 0; k < input.length; k += 1) {
    if (input[k] === '\n' || (input[k] === '\r' && input[k + 1] !== '\n')) lineStarts.push(k + 1);
  }
  const lineAt = (at: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const note = (kind: RepairKind, at: number): void => {
    const lines = found.get(kind) ?? [];
    const line = lineAt(at);
    if (lines[lines.length - 1] !== line) lines.push(line);
    found.set(kind, lines);
  };
  // A typographic quote inside a string closes it when only structure follows on the line.
  const closesHere = (at: number): boolean => {
    let j = at + 1;
    while (
      j < input.length &&
      (input[j] === ' ' || input[j] === '\t' || UNICODE_SPACE.test(input[j] ?? ''))
    )
      j += 1;
    const next = input[j];
    return next === undefined || ',:}]\r\n'.includes(next);
  };

  let i = 0;
  let inString = false;
  let typographicOpen = false;
  let quotesInString: number[] = [];
  while (i < input.length) {
    const c = input[i] ?? '';
    if (!inString) {
      if (c === '"' || TYPOGRAPHIC_QUOTES.has(c)) {
        if (c !== '"') {
          out[i] = '"';
          note('typographic-quotes', i);
        }
        inString = true;
        typographicOpen = c !== '"';
        quotesInString = [];
      } else if (c === '\ufeff' && i === 0) {
        out[i] = ' ';
      } else if (UNICODE_SPACE.test(c)) {
        out[i] = ' ';
        note('unicode-spaces', i);
      } else if (c === ',') {
        let j = i + 1;
        while (j < input.length && isSpace(input[j])) j += 1;
        if (input[j] === '}' || input[j] === ']') {
          out[i] = ' ';
          note('trailing-comma', i);
        }
      }
      i += 1;
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') {
      inString = false;
      i += 1;
      continue;
    }
    if (TYPOGRAPHIC_QUOTES.has(c)) {
      if (typographicOpen && closesHere(i)) {
        out[i] = '"';
        note('typographic-quotes', i);
        inString = false;
        i += 1;
        continue;
      }
      quotesInString.push(i);
    }
    if (c === '\n' || c === '\r' || i === input.length - 1) {
      // The string runs into the end of the line: JSON strings cannot. If its last typographic
      // quote is followed by structure only, that quote was meant to close it.
      const last = quotesInString[quotesInString.length - 1];
      const end = c === '\n' || c === '\r' ? i : i + 1;
      if (last !== undefined && /^[\s,:}\]\u00a0]*$/.test(input.slice(last + 1, end))) {
        out[last] = '"';
        note('typographic-quotes', last);
        inString = false;
        i = last + 1;
        continue;
      }
      // Not repairable: leave it for the syntax check, and read the next line afresh.
      if (c === '\n' || c === '\r') inString = false;
    }
    i += 1;
  }
  return {
    text: out.join(''),
    repairs: [...found].map(([kind, lines]) => ({ kind, lines })),
  };
}

/**
 * Decode the bytes of a configuration file: UTF-8 (with or without a BOM) or UTF-16 with a BOM
 * (Windows Notepad's "Unicode").
 *
 * @param bytes - file content
 * @returns the text
 */
export function decodeConfigBytes(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    // swap16 throws on an odd length; a dangling last byte is dropped, as utf16le decoding
    // of the little-endian form does.
    const swapped = Buffer.from(buf.subarray(2, buf.length - ((buf.length - 2) % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return buf.toString('utf8');
}

function linesText(lines: readonly number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${lines.length > 5 ? ', …' : ''}`;
}

const REPAIR_MESSAGES: Record<RepairKind, (where: string) => string> = {
  'typographic-quotes': (where) =>
    `typographic quotes (“ ”) used as JSON quotes on ${where} were read as plain quotes; replace them with " (a copy-and-paste artefact of the manuals)`,
  'unicode-spaces': (where) =>
    `non-breaking or other Unicode spaces between values on ${where} were read as spaces`,
  'trailing-comma': (where) => `a comma before "}" or "]" on ${where} was ignored`,
};

/** Result of {@link readConfigText}. */
export type ReadConfigTextResult =
  | { ok: true; json: unknown; warnings: ConfigIssue[]; errors: ConfigIssue[] }
  | { ok: false; error: ConfigError; warnings: ConfigIssue[] };

/**
 * Turn a file's text into JSON: repair artefacts (warnings), locate a syntax error (line and
 * column), and check top-level keys given twice (the same value: warning; different values:
 * error — JSON.parse would silently keep the last one).
 *
 * @param text - the file text
 * @param file - name used in messages
 * @param path - the file's path, for `ConfigError.file` (default: `file`)
 * @returns the JSON value and issues, or an `ERR_CONFIG_SYNTAX` error (not thrown)
 * @example
 * ```ts
 * const r = readConfigText('{ "smtp_port": "25" "smtp_server": "x" }', 'a.json');
 * if (!r.ok) r.error.message; // 'a.json:1:21: invalid JSON: expected "," or "}" after the value of "smtp_port" …'
 * ```
 */
export function readConfigText(text: string, file: string, path = file): ReadConfigTextResult {
  const { text: repaired, repairs } = repairJsonText(text);
  const warnings: ConfigIssue[] = repairs.map(({ kind, lines }) => ({
    file,
    key: '',
    message: `${file}: ${REPAIR_MESSAGES[kind](linesText(lines))}`,
  }));
  const scan = scanJson(repaired);
  let json: unknown;
  let failure: { offset: number; reason: string } | undefined = scan.ok ? undefined : scan;
  if (failure === undefined) {
    try {
      json = JSON.parse(repaired);
    } catch {
      // The walker accepted what V8 refused: report it at the start rather than guess.
      failure = { offset: 0, reason: 'the file is not valid JSON' };
    }
  }
  if (failure !== undefined) {
    const { line, column } = lineColumn(text, failure.offset);
    const message = `${file}:${line}:${column}: invalid JSON: ${failure.reason}`;
    const error = new ConfigError('ERR_CONFIG_SYNTAX', message, {
      file: path,
      issues: [{ file, key: '', message }],
      hint: 'a configuration file is { "key": "value", … } with a comma after every pair but the last',
    });
    return { ok: false, error, warnings };
  }
  const errors: ConfigIssue[] = [];
  const seen = new Map<string, { line: number; value: string }>();
  for (const m of scan.ok ? scan.members : []) {
    const before = seen.get(m.key);
    seen.set(m.key, { line: m.line, value: m.valueText });
    if (before === undefined) continue;
    const same =
      JSON.stringify(JSON.parse(before.value)) === JSON.stringify(JSON.parse(m.valueText));
    const issue: ConfigIssue = {
      file,
      key: m.key,
      message: same
        ? `${file}: ${m.key}: given twice (lines ${before.line} and ${m.line}) with the same value; remove one`
        : `${file}: ${m.key}: given twice with different values (lines ${before.line} and ${m.line}); keep one`,
    };
    (same ? warnings : errors).push(issue);
  }
  return { ok: true, json, warnings, errors };
}
