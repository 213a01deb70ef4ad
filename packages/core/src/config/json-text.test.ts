import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConfigError } from '../errors.js';
import { lineColumn, scanJson } from './json-scan.js';
import { decodeConfigBytes, readConfigText, repairJsonText } from './json-text.js';

describe('repairJsonText (copy-and-paste artefacts of the manuals)', () => {
  it.each([
    [
      'a value in typographic quotes (seed 003: "ui_login_text": “”,)',
      '{"ui_login_text": “”,\n"a": "b"}',
      '{"ui_login_text": "",\n"a": "b"}',
    ],
    [
      'a value closed by a typographic quote at the end of the line (seeds 001/002)',
      '{"login_text": "Enter a code.”\n}',
      '{"login_text": "Enter a code."\n}',
    ],
    ['keys and values in typographic quotes', '{“a”: “x”, “b”: “y”}', '{"a": "x", "b": "y"}'],
    ['a list in typographic quotes (seed 003: “;;”)', '{"n": “;;”\n}', '{"n": ";;"\n}'],
    [
      'an empty value closed typographically ("totp_api_endpoint": "”)',
      '{"e": "”\n}',
      '{"e": ""\n}',
    ],
    ['low-9 quotes', '{"a": „x“}', '{"a": "x"}'],
  ])('reads %s', (_what, input, expected) => {
    const r = repairJsonText(input);
    expect(r.text).toBe(expected);
    expect(r.repairs.map((x) => x.kind)).toEqual(['typographic-quotes']);
  });

  it.each([
    ['typographic quotes inside a correctly quoted value', '{"a": "Click “Get Code” now"}'],
    ['a value that is only typographic quotes, correctly quoted', '{"a": "“”"}'],
    ['a non-breaking space inside a value', '{"a": "x\u00a0y"}'],
    ['a comma before } inside a value', '{"a": ",}"}'],
    ['an escaped quote followed by a typographic one', '{"a": "\\"”"}'],
  ])('leaves %s alone', (_what, input) => {
    const r = repairJsonText(input);
    expect(r.text).toBe(input);
    expect(r.repairs).toEqual([]);
  });

  it('reads non-breaking-space indentation (seed 001) as spaces, naming the lines', () => {
    const r = repairJsonText('{\u00a0 \u00a0\n\n\u00a0 \u00a0"a": "1"\n}');
    expect(r.text).toBe('{   \n\n   "a": "1"\n}');
    expect(r.repairs).toEqual([{ kind: 'unicode-spaces', lines: [1, 3] }]);
  });

  it('turns a trailing comma before } or ] into a space (seed 000: "api_headers_value": "…",)', () => {
    const r = repairJsonText('{"a": "1",\n\n}');
    expect(r.text).toBe('{"a": "1" \n\n}');
    expect(r.repairs).toEqual([{ kind: 'trailing-comma', lines: [1] }]);
    expect(repairJsonText('{"a": ["x",]}').text).toBe('{"a": ["x" ]}');
  });

  it('turns a UTF-8 byte-order mark into a space without a warning', () => {
    expect(repairJsonText('\ufeff{}')).toEqual({ text: ' {}', repairs: [] });
  });

  it('does not repair a string cut short in the manual (no closing quote at all)', () => {
    const input = '{\n"smtp_mailfrom": “mfa.no.reply@adatum.labnet\n}';
    expect(repairJsonText(input).text).toBe('{\n"smtp_mailfrom": "mfa.no.reply@adatum.labnet\n}');
  });

  it('keeps the length of any text, so that line and column stay those of the file', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('"', '“', '”', ',', '}', '\n', '\u00a0', 'a', ' ', '\\', '{', ':'),
        }),
        (s) => {
          expect(repairJsonText(s).text.length).toBe(s.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes nothing in valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const r = repairJsonText(text);
        expect(r.text).toBe(text);
        expect(r.repairs).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeConfigBytes', () => {
  const text = '{"company": "Société"}';
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeConfigBytes(Buffer.from(text, 'utf8'))).toBe(text);
    expect(
      decodeConfigBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
    ).toBe(`\ufeff${text}`);
  });
  it('reads UTF-16 LE and BE with a BOM (Windows "Unicode")', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeConfigBytes(le)).toBe(text);
    const be = Buffer.from(Buffer.from(text, 'utf16le')).swap16();
    expect(decodeConfigBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
  });
});

describe('lineColumn', () => {
  it('counts LF, CRLF and lone CR line ends and 1-based columns', () => {
    expect(lineColumn('ab', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('a\nbc', 3)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('a\r\nbc', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('a\rbc', 3)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('a\n', 99)).toEqual({ line: 2, column: 1 });
  });
});

describe('scanJson', () => {
  it('lists the top-level members with their lines', () => {
    const r = scanJson('{\n "a": "1",\n "b": {"c": [1, 2]}\n}');
    expect(r).toEqual({
      ok: true,
      members: [
        { key: 'a', line: 2, valueText: '"1"' },
        { key: 'b', line: 3, valueText: '{"c": [1, 2]}' },
      ],
    });
  });

  it('agrees with JSON.parse on what is valid', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '{',
            '}',
            '[',
            ']',
            '"',
            ':',
            ',',
            '1',
            '-',
            'e',
            '.',
            't',
            'r',
            'u',
            ' ',
            '\\',
            'n',
          ),
        }),
        (s) => {
          let valid = true;
          try {
            JSON.parse(s);
          } catch {
            valid = false;
          }
          expect(scanJson(s).ok).toBe(valid);
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(scanJson(JSON.stringify(v, null, 1)).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readConfigText', () => {
  const file = 'SecureMfaOtpProvider.json';

  it.each([
    [
      'a missing comma',
      '{\n  "company": "MyCompany"\n  "serialkey": "m0"\n}',
      '3:3',
      'expected "," or "}" after the value of "company" (is a comma missing at the end of the line?)',
    ],
    ['a missing value', '{\n  "company": \n}', '3:1', 'unexpected "}" where a value was expected'],
    [
      'a single backslash (host\\instance)',
      '{ "sqlserver": "sql1\\SQLEXPRESS" }',
      '1:21',
      'a backslash in a string must be written \\\\ (e.g. "host\\\\instance", "C:\\\\certs\\\\mfa.pem")',
    ],
    [
      'an unquoted value',
      '{ "verboselog": false, "company": MyCompany }',
      '1:35',
      'unquoted text where a value was expected: write text values in double quotes ("…")',
    ],
    [
      'single quotes',
      "{ 'company': 'x' }",
      '1:3',
      'a single quote where a key in double quotes was expected: JSON uses double quotes (")',
    ],
    [
      'an unclosed string',
      '{\n"ui_login_text": "Enter the passcode\n}',
      '2:18',
      'this string is not closed: the closing " is missing before the end of the line',
    ],
    ['an empty file', '  \n', '2:1', 'the file is empty: expected { "key": "value", … }'],
    [
      'text after the end',
      '{ "a": "1" }\n}',
      '2:1',
      'unexpected "}" where the end of the file (after the closing "}") was expected',
    ],
    [
      'a missing closing brace',
      '{ "a": "1",\n "b": "2"',
      '2:10',
      'the file ends before the closing "}"',
    ],
    [
      'a missing colon',
      '{ "a" "1" }',
      '1:7',
      'unexpected """ where ":" after the key of "a" was expected',
    ],
  ])('reports %s as ERR_CONFIG_SYNTAX at line:column', (_what, text, where, reason) => {
    const r = readConfigText(text, file, '/etc/securemfa/SecureMfaOtpProvider.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error).toMatchObject({
      code: 'ERR_CONFIG_SYNTAX',
      exitCode: 2,
      file: '/etc/securemfa/SecureMfaOtpProvider.json',
      message: `${file}:${where}: invalid JSON: ${reason}`,
    });
    expect(r.error.message).not.toContain('\n');
    expect(r.error.hint).toMatch(/comma after every pair/);
    expect(r.error.issues).toEqual([{ file, key: '', message: r.error.message }]);
  });

  it('reports the position in the original file after repairs elsewhere', () => {
    const r = readConfigText('{\n"a": “x”,\n\u00a0"b": "1"\n"c": "2"\n}', file);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toMatch(
        /^SecureMfaOtpProvider\.json:4:1: invalid JSON: expected "," or "}" after the value of "b"/,
      );
  });

  it('never quotes text of the file in a syntax error (it may be a secret)', () => {
    const r = readConfigText('{ "smtp_password": hunter2secret }', 'f.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).not.toMatch(/hunter|h"/);
  });

  it('returns the JSON with one warning per kind of repair, naming the lines', () => {
    const r = readConfigText('{\n"a": “x”,\n"b": “y”,\n}', file);
    expect(r).toEqual({
      ok: true,
      json: { a: 'x', b: 'y' },
      errors: [],
      warnings: [
        {
          file,
          key: '',
          message: `${file}: typographic quotes (“ ”) used as JSON quotes on lines 2, 3 were read as plain quotes; replace them with " (a copy-and-paste artefact of the manuals)`,
        },
        { file, key: '', message: `${file}: a comma before "}" or "]" on line 3 was ignored` },
      ],
    });
  });

  it('warns about a key given twice with the same value', () => {
    const r = readConfigText('{\n"smtp_port": "25",\n"smtp_port": "25"\n}', file);
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual([
      `${file}: smtp_port: given twice (lines 2 and 3) with the same value; remove one`,
    ]);
  });

  it('refuses a key given twice with different values (JSON.parse would keep the last silently)', () => {
    const r = readConfigText(
      '{\n"data_encryption": "true",\n"x": 1,\n"data_encryption": "false"\n}',
      file,
    );
    expect(r.ok && r.errors).toEqual([
      {
        file,
        key: 'data_encryption',
        message: `${file}: data_encryption: given twice with different values (lines 2 and 4); keep one`,
      },
    ]);
  });
});
