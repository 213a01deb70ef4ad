// Property tests of the config loader (issue 9, "bad input"): whatever a configuration file
// holds — arbitrary bytes, arbitrary text, valid JSON of any shape, known keys with values of any
// type — loading never throws and never crashes; a bad file is a ConfigError (exit code 2) whose
// every issue names the file and says what was wrong; unknown keys are warnings; and a secret
// value never appears in any message, warning or issue, wherever the file is broken.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { checkConfigFile } from './load-config.js';
import { checkConfig, checkConfigText } from './parse-config.js';
import { CONFIG_FILE_NAMES, PROVIDER_IDS, providerKeys } from './schema/config-schemas.js';
import type { ProviderId } from './types.js';

const RUNS = 300;
const providerArb = fc.constantFrom<ProviderId>(...PROVIDER_IDS);

/** Every text a result carries: what a CLI prints or a log records. */
function allText(result: {
  warnings: ConfigIssue[];
  errors?: ConfigIssue[] | undefined;
  error?: ConfigError | undefined;
}): string {
  return JSON.stringify([
    result.warnings,
    result.errors ?? [],
    result.error?.message ?? '',
    result.error?.hint ?? '',
  ]);
}

/** A failed result is well formed: ConfigError, exit code 2, issues that name the file. */
function expectWellFormedFailure(
  result: { errors?: ConfigIssue[] | undefined; error?: ConfigError | undefined },
  file: string,
): void {
  expect(result.error).toBeInstanceOf(ConfigError);
  expect(['ERR_CONFIG_SYNTAX', 'ERR_CONFIG_INVALID']).toContain(result.error!.code);
  expect(result.error!.exitCode).toBe(2);
  expect(result.errors!.length).toBeGreaterThan(0);
  for (const issue of result.errors!) {
    expect(issue.message.startsWith(`${file}:`)).toBe(true);
    // A reason, not just the file name.
    expect(issue.message.length).toBeGreaterThan(file.length + 5);
    expect(issue.message).not.toMatch(/\n\s+at |\.js:\d+|node_modules/);
  }
}

/** A JSON value of any shape, including the awkward ones. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', 'true', 'FALSE', '0', '-1', '1e3', '0x10', 'NaN', '\u0000', '\ud800'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

/** An object of known keys (and aliases) and unknown ones, each with a value of any type. */
function configObjectArb(provider: ProviderId): fc.Arbitrary<Record<string, unknown>> {
  const names = providerKeys(provider).flatMap((k) => [k.name, ...(k.aliases ?? [])]);
  const keyArb = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString') },
  );
  return fc.array(fc.tuple(keyArb, anyValue), { maxLength: 12 }).map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
    }
    return out;
  });
}

/** A secret that cannot occur by chance in a message. */
const secretValueArb = fc
  .string({ minLength: 6, maxLength: 40 })
  .filter((s) => s.trim().length >= 6)
  .map((s) => `Zq7${s}`);

const secretKeys = (provider: ProviderId): string[] =>
  providerKeys(provider)
    .filter((k) => k.secret === true)
    .flatMap((k) => [k.name, ...(k.aliases ?? [])]);

describe('checkConfigText: any text', () => {
  it('never throws; a config comes back, or a ConfigError (exit 2) whose issues name the file and the problem', () => {
    fc.assert(
      fc.property(
        providerArb,
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json({ maxDepth: 3 }),
          fc.json({ maxDepth: 2 }).map((j) => j.slice(0, Math.max(0, j.length - 1))),
        ),
        (provider, text) => {
          const result = checkConfigText(provider, text);
          if (result.error === undefined) {
            expect(result.config).toBeDefined();
            return;
          }
          expectWellFormedFailure(result, CONFIG_FILE_NAMES[provider]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a JSON syntax error names the line and column (ERR_CONFIG_SYNTAX)', () => {
    fc.assert(
      fc.property(
        providerArb,
        fc.json({ maxDepth: 2 }).filter((j) => j.startsWith('{') && j.length > 2),
        fc.constantFrom('}', ',', ':', '"', '{{', ']'),
        (provider, json, junk) => {
          const text = `${json.slice(0, -1)}${junk}${junk}`;
          fc.pre(
            (() => {
              try {
                JSON.parse(text);
                return false;
              } catch {
                return true;
              }
            })(),
          );
          const result = checkConfigText(provider, text);
          expect(result.error?.code).toBe('ERR_CONFIG_SYNTAX');
          expect(result.error!.message).toMatch(/line \d+.*column \d+|\d+:\d+/);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('checkConfig: any object of known and unknown keys with values of any type', () => {
  it('never throws; errors are well formed and name a key of the schema (or the file as a whole); unknown keys are only warnings', () => {
    fc.assert(
      fc.property(
        providerArb.chain((p) => fc.tuple(fc.constant(p), configObjectArb(p))),
        ([provider, json]) => {
          const result = checkConfig(provider, json);
          const known = new Set(
            providerKeys(provider).flatMap((k) => [k.name, ...(k.aliases ?? [])]),
          );
          if (result.error !== undefined) {
            expectWellFormedFailure(result, CONFIG_FILE_NAMES[provider]);
            for (const issue of result.errors) {
              const named = issue.key === '' || known.has(issue.key) || issue.key in json;
              expect(named).toBe(true);
            }
          }
          // An unknown key alone never makes the file invalid.
          const onlyUnknown = Object.fromEntries(
            Object.entries(json).filter(([k]) => !known.has(k) && !/^api_customparam_/.test(k)),
          );
          const alone = checkConfig(provider, onlyUnknown);
          if (alone.error !== undefined) {
            // Only a provider-specific key of another provider or a value-less rule can fail;
            // every such issue still names its key.
            for (const issue of alone.errors) expect(issue.key in onlyUnknown).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a value that is not JSON-object-shaped at all (array, number, string, null) is one clear error', () => {
    fc.assert(
      fc.property(
        providerArb,
        fc.oneof(
          fc.array(anyValue, { maxLength: 3 }),
          fc.integer(),
          fc.string(),
          fc.constant(null),
        ),
        (provider, json) => {
          const result = checkConfig(provider, json);
          expectWellFormedFailure(result, CONFIG_FILE_NAMES[provider]);
          expect(result.errors![0]!.message).toContain('expected a JSON object');
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('secrets never appear in what loading reports', () => {
  it('a secret key set to any value, next to broken keys, never shows its value in warnings, errors or the error message', () => {
    fc.assert(
      fc.property(
        providerArb.chain((p) =>
          fc.tuple(
            fc.constant(p),
            fc.constantFrom(...secretKeys(p)),
            secretValueArb,
            configObjectArb(p),
          ),
        ),
        ([provider, key, secret, rest]) => {
          const json = { ...rest, [key]: secret };
          const result = checkConfig(provider, json);
          expect(allText(result)).not.toContain(secret);
          if (result.config !== undefined) {
            // The value was taken as given (after trimming) — masking hid it, not loss.
            const values = Object.values(result.config as object);
            expect(values.includes(secret) || values.includes(secret.trim())).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a syntax error on the line of a secret does not quote the secret', () => {
    fc.assert(
      fc.property(
        providerArb.chain((p) =>
          fc.tuple(fc.constant(p), fc.constantFrom(...secretKeys(p)), secretValueArb),
        ),
        fc.constantFrom(' ,,', ' }}', ' :', ' x', '\u201d', ''),
        ([provider, key, secret], junk) => {
          // eslint-disable-next-line no-control-regex -- JSON-unsafe characters are replaced
          const value = secret.replace(/["\\\u0000-\u001f]/g, 'a');
          const text = `{\n  "company": "Adatum",\n  "${key}": "${value}"${junk} "verboselog": "true"\n}\n`;
          const result = checkConfigText(provider, text);
          expect(allText(result)).not.toContain(value);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('checkConfigFile: any bytes in the file', () => {
  it('a UTF-16 BE file (FE FF BOM) with an odd number of bytes is a ConfigError, not a crash (was a RangeError from swap16)', async () => {
    const json = Buffer.from('{"company": "Adatum"}', 'utf16le').swap16();
    const odd = Uint8Array.from([0xfe, 0xff, ...json, 0x7d]);
    const result = await checkConfigFile('qr-otp', {
      file: 'odd.json',
      env: {},
      readFile: async () => odd,
    });
    // The dangling byte is dropped (as for UTF-16 LE); the rest decodes and loads.
    expect(result.error).toBeUndefined();
    expect(result.config?.company).toBe('Adatum');
    const tiny = await checkConfigFile('qr-otp', {
      file: 'tiny.json',
      env: {},
      readFile: async () => Uint8Array.from([0xfe, 0xff, 0x00]),
    });
    expect(tiny.error?.code).toBe('ERR_CONFIG_SYNTAX');
    expect(tiny.error?.exitCode).toBe(2);
  });

  it('never throws, whatever the encoding (UTF-8, UTF-16 with a BOM, garbage)', async () => {
    await fc.assert(
      fc.asyncProperty(
        providerArb,
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0xff, 0xfe, ...b])),
          fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0xfe, 0xff, ...b])),
          fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0xef, 0xbb, 0xbf, ...b])),
          fc
            .json({ maxDepth: 2 })
            .map((j) => Buffer.from(`\ufeff${j}`, 'utf16le'))
            .map((b) => Uint8Array.from([0xff, 0xfe, ...b])),
        ),
        async (provider, bytes) => {
          const result = await checkConfigFile(provider, {
            file: 'fuzz.json',
            cwd: '/nonexistent',
            env: {},
            readFile: async () => bytes,
          });
          if (result.error !== undefined) {
            expectWellFormedFailure(result, 'fuzz.json');
          } else {
            expect(result.config).toBeDefined();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
