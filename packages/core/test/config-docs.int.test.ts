// Drift test of the generated configuration reference: docs/configuration.md and
// packages/core/schema/*.schema.json must be what the key schemas generate; every key is
// documented; each JSON Schema accepts the manual's sample of its provider.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  CONFIGURATION_DOC_PATH,
  extractKeyTable,
  generatedConfigFiles,
  schemaPath,
} from '../src/config/docs.js';
import { readConfigText } from '../src/config/json-text.js';
import { PROVIDER_IDS, providerKeys } from '../src/config/schema/config-schemas.js';
import type { ProviderId } from '../src/config/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const readRepo = (path: string): string | undefined => {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return undefined;
  }
};
const REGENERATE = 'run `npm run build` then `node packages/core/dist/config/generate-docs.js`';

const existingDoc = readRepo(CONFIGURATION_DOC_PATH);

describe('generated configuration files are up to date', () => {
  it('generates the key reference and one JSON Schema per provider', () => {
    expect(Object.keys(generatedConfigFiles(existingDoc)).sort()).toEqual(
      [
        'docs/configuration.md',
        'packages/core/schema/api-otp.schema.json',
        'packages/core/schema/email-otp.schema.json',
        'packages/core/schema/qr-otp.schema.json',
      ].sort(),
    );
  });

  it('matches the committed files', () => {
    const stale = Object.entries(generatedConfigFiles(existingDoc))
      .filter(([path, content]) => readRepo(path) !== content)
      .map(([path]) => `${path} is out of date: ${REGENERATE}`);
    expect(stale).toEqual([]);
  });

  it('would notice a key table edited by hand (the comparison is not vacuous)', () => {
    expect(existingDoc).toBeDefined();
    const edited = (existingDoc ?? '').replace(/^\| `smtp_port` \|.*\n/m, '');
    expect(edited).not.toBe(existingDoc);
    expect(generatedConfigFiles(edited)[CONFIGURATION_DOC_PATH]).toBe(existingDoc);
  });
});

describe('docs/configuration.md documents every key', () => {
  it.each(PROVIDER_IDS)('%s: each key and alias has a row in its table', (provider) => {
    const table = extractKeyTable(existingDoc ?? '', provider);
    expect(table).toBeDefined();
    const rows = (table ?? '').split('\n').filter((l) => /^\| `/.test(l));
    const documented = rows.map((l) => /^\| `([^`]+)`/.exec(l)?.[1]);
    const keys = providerKeys(provider);
    const expected = keys.map((k) => k.name);
    if (provider === 'api-otp') expected.push('api_customparams_<name>');
    expect(documented).toEqual(expected);
    for (const k of keys) {
      const row = rows.find((l) => l.startsWith(`| \`${k.name}\` |`)) ?? '';
      for (const alias of k.aliases ?? [])
        expect([k.name, row]).toEqual([k.name, expect.stringContaining(`\`${alias}\``)]);
      if (k.secret === true)
        expect([k.name, row]).toEqual([k.name, expect.stringContaining('| yes |')]);
    }
  });
});

type Validate = (
  schema: Record<string, unknown>,
  data: unknown,
) => { valid: boolean; errors: string };

/**
 * ajv, a declared devDependency of core (v8, whose `ajv/dist/2020` validates JSON Schema
 * 2020-12, the draft the generated schemas name). The v6 branch stays for a checkout whose
 * resolution finds eslint's draft-07 ajv first: draft-07 validates these schemas exactly like
 * 2020-12 as long as they use only keywords whose meaning both drafts share — checked below, so
 * that a generator change to a 2020-only keyword fails here instead of being ignored.
 */
function loadAjv(): { version: string; validate: Validate } {
  const version = (require('ajv/package.json') as { version: string }).version;
  type AjvInstance = {
    compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
  };
  const major = Number(version.split('.')[0]);
  const Ajv = (
    major >= 8
      ? (require('ajv/dist/2020') as { default: new (o: object) => AjvInstance }).default
      : require('ajv')
  ) as new (options: object) => AjvInstance;
  return {
    version,
    validate: (schema, data) => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      const copy: Record<string, unknown> = { ...schema };
      if (major < 8) delete copy.$schema;
      const check = ajv.compile(copy);
      const valid = check(data);
      return { valid, errors: JSON.stringify(check.errors ?? []) };
    },
  };
}

const ajv = loadAjv();

const SEEDS = join(
  dirname(require.resolve('@securemfa/testkit/package.json')),
  'fixtures',
  'seeds',
);
const SAMPLES: [ProviderId, string][] = [
  ['api-otp', 'SecureMfaApiOtpProvider.seed000.json'],
  ['email-otp', 'SecureMfaEmailOtpProvider.seed001.json'],
  ['email-otp', 'SecureMfaEmailOtpProvider.seed002.json'],
  ['qr-otp', 'SecureMfaOtpProvider.seed003.json'],
];
const DRAFT_07_SAFE = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'anyOf',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'maxLength',
  'items',
  'default',
  'writeOnly',
]);

function keywords(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => keywords(s, out));
  else if (schema !== null && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      out.add(k);
      if (k === 'properties' || k === 'patternProperties') {
        Object.values(v as object).forEach((s) => keywords(s, out));
      } else if (k !== 'default' && k !== 'enum') keywords(v, out);
    }
  }
  return out;
}

function committedSchema(provider: ProviderId): Record<string, unknown> {
  return JSON.parse(readRepo(schemaPath(provider)) ?? '{}') as Record<string, unknown>;
}

function parsedSample(file: string): Record<string, unknown> {
  const r = readConfigText(readFileSync(join(SEEDS, file), 'utf8'), file);
  if (!r.ok) throw new Error(r.error.message);
  return r.json as Record<string, unknown>;
}

describe(`JSON Schemas accept the manuals' samples (ajv ${ajv.version})`, () => {
  it.each(PROVIDER_IDS)(
    '%s schema uses only keywords draft-07 and 2020-12 read alike',
    (provider) => {
      const used = [...keywords(committedSchema(provider))];
      expect(used.filter((k) => !DRAFT_07_SAFE.has(k))).toEqual([]);
    },
  );

  it.each(SAMPLES)('%s schema accepts %s after parsing', (provider, file) => {
    const result = ajv.validate(committedSchema(provider), parsedSample(file));
    expect(result).toEqual({ valid: true, errors: '[]' });
  });

  it.each(SAMPLES)('%s schema refuses %s with a bad value', (provider, file) => {
    const bad = { ...parsedSample(file), ui_lockout_minutes: 'five', verboselog: 'yes' };
    expect(ajv.validate(committedSchema(provider), bad).valid).toBe(false);
  });

  it('api-otp schema checks api_customparams_<name> but not api_customparams_enable', () => {
    const schema = committedSchema('api-otp');
    const sample = parsedSample('SecureMfaApiOtpProvider.seed000.json');
    expect(ajv.validate(schema, { ...sample, api_customparams_msid: 5 }).valid).toBe(false);
    expect(ajv.validate(schema, { ...sample, api_customparams_enable: true }).valid).toBe(true);
  });
});
