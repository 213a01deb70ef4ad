/**
 * Documentation generated from the key schemas (STYLE example 10): a markdown key table per
 * provider for docs/configuration.md (between `<!-- config-keys:<provider>:start -->` and
 * `…:end -->` markers) and a JSON Schema per provider (`packages/core/schema/<provider>.schema.json`,
 * via `z.toJSONSchema`). `test/config-docs.int.test.ts` regenerates both and fails when the
 * committed files differ; `generate-docs.ts` writes them.
 *
 * @module config
 */
import { z } from 'zod';
import { valueTypes } from './coerce.js';
import { CUSTOM_PARAM_PREFIX } from './schema/api.js';
import {
  CONFIG_FILE_NAMES,
  configSchemas,
  PROVIDER_IDS,
  providerKeys,
  type KeyInfo,
} from './schema/config-schemas.js';
import type { KeyMeta } from './schema/key.js';
import type { ProviderId } from './types.js';

/** Repository-relative path of the generated key reference. */
export const CONFIGURATION_DOC_PATH = 'docs/configuration.md';

/**
 * Repository-relative path of a provider's generated JSON Schema.
 *
 * @param provider - provider id
 * @returns e.g. `packages/core/schema/qr-otp.schema.json`
 */
export function schemaPath(provider: ProviderId): string {
  return `packages/core/schema/${provider}.schema.json`;
}

/**
 * The markers around a provider's generated table.
 *
 * @param provider - provider id
 * @returns the start and end marker lines
 */
export function tableMarkers(provider: ProviderId): { start: string; end: string } {
  return {
    start: `<!-- config-keys:${provider}:start -->`,
    end: `<!-- config-keys:${provider}:end -->`,
  };
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function shownDefault(value: unknown): string {
  if (value === '' || (Array.isArray(value) && value.length === 0)) return '(empty)';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return `\`${text.replace(/`/g, "'")}\``;
}

function row(k: KeyInfo): string {
  const aliases = (k.aliases ?? []).map((a) => `\`${a}\``).join(', ');
  return [
    `\`${k.name}\``,
    cell(k.expects),
    shownDefault(k.default),
    k.secret === true ? 'yes' : '',
    aliases,
    k.seeds ?? 'new',
    cell(k.description),
  ].join(' | ');
}

/**
 * The markdown key table of one provider (without markers).
 *
 * @param provider - provider id
 * @returns the table: key, type, default, secret, aliases, manuals, description
 * @example
 * ```ts
 * configKeyTable('email-otp').split('\n')[0]; // '| key | type | default | secret | aliases | manuals | description |'
 * ```
 */
export function configKeyTable(provider: ProviderId): string {
  const rows = providerKeys(provider).map((k) => `| ${row(k)} |`);
  if (provider === 'api-otp') {
    rows.push(
      `| \`${CUSTOM_PARAM_PREFIX}<name>\` | a directory attribute name | (none) |  |  | 000 | Adds "<name>": <that attribute of the user> to the JSON body when api_customparams_enable and api_allparams_inbody are true (e.g. "api_customparams_msid": "mobile"). Any number of these. |`,
    );
  }
  return [
    '| key | type | default | secret | aliases | manuals | description |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

const INTRO = `# Configuration keys

One JSON file per provider, named as in the vendor manuals. Every sample file printed in the
manuals loads unchanged. This reference is generated from the schemas in
\`packages/core/src/config/schema/\`: after changing a key, run \`npm run build\` then
\`node packages/core/dist/config/generate-docs.js\`; \`packages/core/test/config-docs.int.test.ts\`
fails while this file or \`packages/core/schema/*.schema.json\` is out of date.

- Values may be strings, as the manuals write them (\`"true"\`, \`"5000"\`, \`".com;.net"\`), or JSON
  booleans, numbers and arrays. Booleans are \`true\`/\`false\` in any case; lists are separated
  by \`;\`.
- The manuals' other spellings are aliases (\`login_failures\`, \`lockout_minutes\`,
  \`encryption_passphrase\`, \`login_text\`); giving both spellings with different values is an error.
- An unknown key is a warning with a "did you mean" suggestion. A bad value is an error naming
  the file, the key, the value and what is expected; invalid JSON names the line and column.
  Typographic quotes (“ ”) and non-breaking spaces copied from the manuals are read as plain
  quotes and spaces, with a warning. Configuration errors exit with code 2.
- Secrets (column "secret") are never printed or logged: \`config check\` shows \`********\`, or
  \`''\` when unset. The manuals' sample secrets (\`d9GhT=7=Ox8-+LaZ\`, the sample API keys) are
  accepted with a warning: you MUST change them.
- No file: when no file is given (\`-c\`, \`SECUREMFA_CONFIG\`) and none is in the working
  directory, the built-in defaults apply (\`auth_mode\` SQLITE, \`./securemfa.db\`).
- "manuals": the vendor manuals documenting the key (000 API, 001/002 e-mail, 003 QR); "new":
  added by this project.
`;

function section(provider: ProviderId): string {
  const { start, end } = tableMarkers(provider);
  return [
    `## ${provider}: \`${CONFIG_FILE_NAMES[provider]}\``,
    '',
    start,
    configKeyTable(provider),
    end,
    '',
  ].join('\n');
}

/**
 * docs/configuration.md: the given text with every provider's table regenerated between its
 * markers, or a complete new document when `existing` is undefined or lacks the markers.
 *
 * @param existing - the current file text, if any
 * @returns the new text
 */
export function renderConfigurationDoc(existing?: string): string {
  if (existing === undefined) return `${INTRO}\n${PROVIDER_IDS.map(section).join('\n')}`;
  let text = existing;
  for (const provider of PROVIDER_IDS) {
    const { start, end } = tableMarkers(provider);
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to < from) return renderConfigurationDoc();
    text = `${text.slice(0, from + start.length)}\n${configKeyTable(provider)}\n${text.slice(to)}`;
  }
  return text;
}

/**
 * The text between a provider's markers in a document (trimmed), or undefined without markers.
 *
 * @param text - a document
 * @param provider - provider id
 * @returns the marked table
 */
export function extractKeyTable(text: string, provider: ProviderId): string | undefined {
  const { start, end } = tableMarkers(provider);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) return undefined;
  return text.slice(from + start.length, to).trim();
}

const META_KEYS = ['description', 'default', 'secret', 'seeds', 'aliases', 'expects'] as const;

/**
 * JSON Schema (draft 2020-12) of a provider's file, describing what may be *written* (strings or
 * natives), made with `z.toJSONSchema`: value types contribute their input schema, key metadata
 * the description, default and `writeOnly` for secrets. Aliases are listed as properties too;
 * other keys are allowed (the loader warns about them).
 *
 * @param provider - provider id
 * @returns the schema object
 */
export function configJsonSchema(provider: ProviderId): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchemas[provider], {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override(ctx) {
      const json = ctx.jsonSchema as Record<string, unknown>;
      const type = valueTypes.get(ctx.zodSchema);
      if (type !== undefined) {
        for (const k of Object.keys(json)) delete json[k];
        Object.assign(json, structuredClone(type.json));
        return;
      }
      const meta = z.globalRegistry.get(ctx.zodSchema) as Partial<KeyMeta> | undefined;
      if (meta?.expects === undefined) return;
      for (const k of META_KEYS) delete json[k];
      json.description = meta.description;
      json.default = structuredClone(meta.default);
      if (meta.secret === true) json.writeOnly = true;
    },
  }) as Record<string, unknown>;
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const k of providerKeys(provider)) {
    const own = properties[k.name];
    if (own === undefined) continue;
    for (const alias of k.aliases ?? []) {
      properties[alias] = {
        ...structuredClone(own),
        description: `Alias of ${k.name}. ${k.description}`,
      };
      delete properties[alias].default;
    }
  }
  const { $schema, ...rest } = schema;
  delete rest.required;
  return {
    $schema,
    $id: `urn:securemfa:config:${provider}`,
    title: CONFIG_FILE_NAMES[provider],
    description: `Configuration of the SecureMFA ${provider} provider. Generated from packages/core/src/config/schema; see docs/configuration.md.`,
    ...rest,
    ...(provider === 'api-otp'
      ? {
          patternProperties: {
            [`^${CUSTOM_PARAM_PREFIX}(?!enable$).+$`]: {
              type: 'string',
              description:
                'A directory attribute sent as "<name>" in the JSON body (api_customparams_enable).',
            },
          },
        }
      : {}),
    additionalProperties: true,
  };
}

/**
 * Every generated file: repository-relative path → content.
 *
 * @param existingDoc - current docs/configuration.md text (its prose outside the markers is kept)
 * @returns the files
 */
export function generatedConfigFiles(existingDoc?: string): Record<string, string> {
  const files: Record<string, string> = {
    [CONFIGURATION_DOC_PATH]: renderConfigurationDoc(existingDoc),
  };
  for (const p of PROVIDER_IDS)
    files[schemaPath(p)] = `${JSON.stringify(configJsonSchema(p), null, 2)}\n`;
  return files;
}
