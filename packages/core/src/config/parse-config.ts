/**
 * Validate a provider configuration given as JSON (already parsed) or as text.
 *
 * Pipeline (changesets' parse → normalise → rules, STYLE.md B.6):
 * 1. aliases — `login_failures`, `lockout_minutes`, `encryption_passphrase`, `login_text` are the
 *    manuals' other spellings: accepted without a warning; both spellings with different values
 *    is an error;
 * 2. dynamic keys — `api_customparams_<name>` (API provider) are collected into `api_customparams`;
 * 3. unknown keys — a warning with a "did you mean" suggestion, never a failure;
 * 4. values — each key through its zod schema (strings as the manuals write them, or JSON
 *    natives); one issue per bad key naming the key, the value (masked when secret) and what is
 *    expected;
 * 5. rules — cross-field checks (`rules.ts`);
 * 6. result — `{ config, warnings }` or `{ errors, error }`, all issues at once.
 *
 * @see DESIGN.md "Configuration"
 * @module config
 */
import { ConfigError, type ConfigIssue } from '../errors.js';
import { isAttributeName } from './coerce.js';
import { readConfigText } from './json-text.js';
import { isSecretKey, showValue } from './mask.js';
import { RULES, type RuleConfig } from './rules.js';
import { CUSTOM_PARAM_PREFIX } from './schema/api.js';
import {
  assertProviderId,
  CONFIG_FILE_NAMES,
  PROVIDER_IDS,
  providerKeys,
} from './schema/config-schemas.js';
import { suggestKey } from './suggest.js';
import type { ConfigById, ProviderId } from './types.js';

/** Options of {@link checkConfig} and {@link parseConfig}. */
export interface CheckConfigOptions {
  /** File name for messages (default: the provider's file name as in the manuals). */
  file?: string | undefined;
  /** Path for `ConfigError.file` (default: `file`). */
  path?: string | undefined;
}

/** Result of the non-throwing checks: a config and warnings, or every error at once. */
export type CheckConfigResult<P extends ProviderId = ProviderId> =
  | { config: ConfigById[P]; warnings: ConfigIssue[]; errors: undefined; error: undefined }
  | { config: undefined; warnings: ConfigIssue[]; errors: ConfigIssue[]; error: ConfigError };

function issue(
  file: string,
  key: string,
  message: string,
  extra: Partial<ConfigIssue> = {},
): ConfigIssue {
  return { file, key, ...extra, message: `${file}: ${key === '' ? '' : `${key}: `}${message}` };
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function failed<P extends ProviderId>(
  path: string,
  warnings: ConfigIssue[],
  errors: ConfigIssue[],
): CheckConfigResult<P> {
  const message = errors.map((e) => e.message).join('\n');
  const error = new ConfigError('ERR_CONFIG_INVALID', message, {
    file: path,
    issues: errors,
    hint: 'fix the keys named above; `config check` lists every problem at once',
  });
  return { config: undefined, warnings, errors, error };
}

function otherProviderOf(key: string, provider: ProviderId): ProviderId | undefined {
  return PROVIDER_IDS.find(
    (p) =>
      p !== provider && providerKeys(p).some((k) => k.name === key || k.aliases?.includes(key)),
  );
}

/**
 * Validate a parsed configuration object. Never throws for bad input: problems are returned.
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param json - the parsed JSON of the file
 * @param options - file name for messages
 * @returns the normalised config and warnings, or the errors (and the `ConfigError` to throw)
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * const r = checkConfig('email-otp', { smtp_port: '25a' });
 * r.errors?.[0]?.message; // 'SecureMfaEmailOtpProvider.json: smtp_port: got "25a", expected an integer 1–65535'
 * ```
 */
export function checkConfig<P extends ProviderId>(
  provider: P,
  json: unknown,
  options: CheckConfigOptions = {},
): CheckConfigResult<P> {
  assertProviderId(provider);
  const file = options.file ?? CONFIG_FILE_NAMES[provider];
  const path = options.path ?? file;
  const warnings: ConfigIssue[] = [];
  const errors: ConfigIssue[] = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    errors.push(
      issue(file, '', `expected a JSON object { "key": "value", … }, got ${describeType(json)}`),
    );
    return failed(path, warnings, errors);
  }

  const keys = providerKeys(provider);
  const byName = new Map(keys.map((k) => [k.name, k]));
  const aliasOf = new Map(keys.flatMap((k) => (k.aliases ?? []).map((a) => [a, k.name] as const)));
  const knownNames = [...byName.keys(), ...aliasOf.keys()];

  // 1–3: aliases, dynamic keys, unknown keys.
  const written = new Map<string, { as: string; value: unknown }>();
  const customParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(json)) {
    if (
      provider === 'api-otp' &&
      name.startsWith(CUSTOM_PARAM_PREFIX) &&
      name.length > CUSTOM_PARAM_PREFIX.length &&
      !byName.has(name)
    ) {
      const attribute = typeof value === 'string' ? value.trim() : value;
      if (attribute === '') continue;
      if (typeof attribute === 'string' && isAttributeName(attribute)) {
        Object.defineProperty(customParams, name.slice(CUSTOM_PARAM_PREFIX.length), {
          value: attribute,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        const expected = 'a directory attribute name like mobile or msDS-cloudExtensionAttribute10';
        const shown = showValue(value, false);
        errors.push(
          issue(file, name, `got ${shown}, expected ${expected}`, { value: shown, expected }),
        );
      }
      continue;
    }
    const canonical = aliasOf.get(name) ?? name;
    const spec = byName.get(canonical);
    if (spec === undefined) {
      const elsewhere = otherProviderOf(name, provider);
      const hint = suggestKey(name, knownNames);
      const why =
        elsewhere !== undefined
          ? `is a key of ${CONFIG_FILE_NAMES[elsewhere]}, not of this file; ignored`
          : `unknown key, ignored${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`;
      warnings.push(issue(file, name, why));
      continue;
    }
    const before = written.get(canonical);
    if (before !== undefined) {
      const a = spec.schema.safeParse(before.value);
      const b = spec.schema.safeParse(value);
      const same =
        a.success && b.success
          ? JSON.stringify(a.data) === JSON.stringify(b.data)
          : JSON.stringify(before.value) === JSON.stringify(value);
      if (!same) {
        const secret = spec.secret === true;
        errors.push(
          issue(
            file,
            canonical,
            `given twice with different values ("${before.as}": ${showValue(before.value, secret)} and "${name}": ${showValue(value, secret)}); keep one`,
          ),
        );
      }
      continue;
    }
    written.set(canonical, { as: name, value });
  }

  // 4: values, key by key so that every bad key is reported and good ones still feed the rules.
  const config: Record<string, unknown> = {};
  const badKeys = new Set<string>();
  for (const spec of keys) {
    const entry = written.get(spec.name);
    const parsed = spec.schema.safeParse(entry?.value);
    if (parsed.success) {
      config[spec.name] = parsed.data;
      continue;
    }
    const secret = spec.secret === true || isSecretKey(entry?.as ?? spec.name);
    const shown = showValue(entry?.value, secret);
    const expected = parsed.error.issues[0]?.message ?? spec.expects;
    const name = entry?.as ?? spec.name;
    errors.push(
      issue(file, name, `got ${shown}, expected ${expected}`, { value: shown, expected }),
    );
    badKeys.add(spec.name);
    config[spec.name] = spec.schema.parse(undefined);
  }
  if (provider === 'api-otp') config.api_customparams = customParams;

  // The originals had no auth_mode before AD mode: a file that names a SQL server meant SQL.
  if (!written.has('auth_mode') && config.sqlserver !== '') {
    config.auth_mode = 'SQL';
    warnings.push(
      issue(
        file,
        'auth_mode',
        'is not set; SQL is used because sqlserver is set (set auth_mode to say so)',
      ),
    );
  }

  // 5: rules. An issue about a key whose value is already reported as bad would be noise.
  const present = new Set(written.keys());
  const ruleConfig = config as unknown as RuleConfig;
  for (const rule of RULES) {
    rule({
      provider,
      config: ruleConfig,
      present,
      // Name the key as the file spells it (an alias, maybe), so that operators find it.
      error: (key, message) => {
        if (!badKeys.has(key)) errors.push(issue(file, written.get(key)?.as ?? key, message));
      },
      warn: (key, message) => {
        if (!badKeys.has(key)) warnings.push(issue(file, written.get(key)?.as ?? key, message));
      },
    });
  }
  // AD mode does not support unencrypted secrets (seed 000): encryption is on, whatever was written.
  if (config.auth_mode === 'AD') config.data_encryption = true;

  if (errors.length > 0) return failed(path, warnings, errors);
  return {
    config: config as unknown as ConfigById[P],
    warnings,
    errors: undefined,
    error: undefined,
  };
}

/**
 * Validate a parsed configuration object, throwing one error with every problem.
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param json - the parsed JSON of the file
 * @param options - file name for messages
 * @returns the normalised config and the warnings
 * @throws {ConfigError} `ERR_CONFIG_INVALID` with one `ConfigIssue` per problem
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * const { config } = parseConfig('qr-otp', { login_failures: '5' });
 * config.ui_login_failures; // 5
 * ```
 */
export function parseConfig<P extends ProviderId>(
  provider: P,
  json: unknown,
  options: CheckConfigOptions = {},
): { config: ConfigById[P]; warnings: ConfigIssue[] } {
  const result = checkConfig(provider, json, options);
  if (result.error !== undefined) throw result.error;
  return { config: result.config, warnings: result.warnings };
}

/**
 * Validate a configuration file's text: repairs copy-and-paste artefacts (with warnings),
 * reports a JSON syntax error with line and column, then {@link checkConfig}.
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param text - the file's text
 * @param options - file name for messages
 * @returns as {@link checkConfig}; `error.code` is `ERR_CONFIG_SYNTAX` for invalid JSON
 * @throws {TypeError} for an unknown provider id or non-string text
 * @example
 * ```ts
 * const r = checkConfigText('qr-otp', '{ "ui_login_text": “” }');
 * r.warnings[0]?.message; // '…typographic quotes (“ ”) used as JSON quotes on line 1 were read as plain quotes…'
 * ```
 */
export function checkConfigText<P extends ProviderId>(
  provider: P,
  text: string,
  options: CheckConfigOptions = {},
): CheckConfigResult<P> {
  assertProviderId(provider);
  if (typeof text !== 'string') throw new TypeError('"text" must be a string');
  const file = options.file ?? CONFIG_FILE_NAMES[provider];
  const path = options.path ?? file;
  const read = readConfigText(text, file, path);
  if (!read.ok) {
    return {
      config: undefined,
      warnings: read.warnings,
      errors: [...read.error.issues],
      error: read.error,
    };
  }
  const result = checkConfig(provider, read.json, { file, path });
  const warnings = [...read.warnings, ...result.warnings];
  const errors = [...read.errors, ...(result.errors ?? [])];
  if (errors.length > 0) return failed(path, warnings, errors);
  return { ...result, warnings };
}

/**
 * {@link checkConfigText}, throwing.
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param text - the file's text
 * @param options - file name for messages
 * @returns the normalised config and the warnings
 * @throws {ConfigError} `ERR_CONFIG_SYNTAX` or `ERR_CONFIG_INVALID`
 * @example
 * ```ts
 * const { config } = parseConfigText('email-otp', readFileSync('SecureMfaEmailOtpProvider.json', 'utf8'));
 * ```
 */
export function parseConfigText<P extends ProviderId>(
  provider: P,
  text: string,
  options: CheckConfigOptions = {},
): { config: ConfigById[P]; warnings: ConfigIssue[] } {
  const result = checkConfigText(provider, text, options);
  if (result.error !== undefined) throw result.error;
  return { config: result.config, warnings: result.warnings };
}
