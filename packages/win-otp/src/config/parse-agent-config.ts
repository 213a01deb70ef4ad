/**
 * Validate the agent's configuration the way core validates the providers' files: values as
 * the seed writes them (strings `"true"`, `"5000"`) or JSON natives; aliases; an unknown key is
 * a warning with a did-you-mean; every bad value is an issue naming the file, the key, the
 * (masked) value and what is expected; all issues at once in one {@link ConfigError} (exit 2).
 *
 * @module config
 */
import { ConfigError, SAMPLE_SECRETS, SECRET_MASK, type ConfigIssue } from '@securemfa/core';
import {
  AGENT_KEY_NAMES,
  AGENT_KEYS,
  defaultAgentConfig,
  REQUIRED_KEYS,
  type AgentConfig,
  type AgentKey,
  type AgentKeyName,
} from './agent-keys.js';

/** The result of {@link parseAgentConfig}. */
export interface ParsedAgentConfig {
  config: AgentConfig;
  /** Unknown keys, weak settings: printed, never fatal. */
  warnings: string[];
}

/** Options of {@link parseAgentConfig}. */
export interface ParseAgentConfigOptions {
  /** The file, for messages (default `<inline>`). */
  file?: string | undefined;
  /** Report missing required keys (default true; install checks after merging flags). */
  requireAll?: boolean | undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;
const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

function expects(k: AgentKey): string {
  switch (k.type) {
    case 'bool':
      return 'true or false';
    case 'int':
      return `an integer ${k.min}–${k.max}${k.unit === undefined ? '' : ` (${k.unit})`}`;
    case 'url':
      return 'an absolute https:// or http:// URL, or ""';
    case 'host':
      return 'a host name or IP address, or ""';
    case 'name':
      return 'a DNS-style name (letters, digits, dots, dashes), or ""';
    case 'path':
      return 'a file path, or ""';
    default:
      return 'one line of text';
  }
}

/** The value of one key, or undefined when it does not fit. */
function coerce(k: AgentKey, raw: unknown): string | number | boolean | undefined {
  switch (k.type) {
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      return t === 'true' ? true : t === 'false' ? false : undefined;
    }
    case 'int': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\s*\+?\d{1,15}\s*$/.test(raw)
            ? Number(raw)
            : NaN;
      return Number.isInteger(n) && n >= (k.min ?? 0) && n <= (k.max ?? Infinity) ? n : undefined;
    }
    default: {
      const s = typeof raw === 'number' ? String(raw) : raw;
      if (typeof s !== 'string' || s.length > 4096 || CONTROL.test(s)) return undefined;
      const t = s.trim();
      if (k.type === 'secret' || k.type === 'text') return s;
      if (t === '') return '';
      if (k.type === 'host') return HOST.test(t) || /^[0-9a-f:.]+$/i.test(t) ? t : undefined;
      if (k.type === 'name') return NAME.test(t) ? t : undefined;
      if (k.type === 'path') return t;
      try {
        const u = new URL(t);
        return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== ''
          ? t
          : undefined;
      } catch {
        return undefined;
      }
    }
  }
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) {
      cur.push(
        Math.min(
          (prev[j] ?? 0) + 1,
          (cur[j - 1] ?? 0) + 1,
          (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        ),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? Infinity;
}

function suggest(unknown: string): string | undefined {
  const u = unknown.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const name of AGENT_KEY_NAMES) {
    const d = distance(u, name.toLowerCase());
    if (d < bestD) [best, bestD] = [name, d];
  }
  return best;
}

function canonicalName(written: string): AgentKeyName | undefined {
  if ((AGENT_KEY_NAMES as string[]).includes(written)) return written as AgentKeyName;
  for (const name of AGENT_KEY_NAMES) {
    const aliases = (AGENT_KEYS[name] as AgentKey).aliases ?? [];
    if (aliases.includes(written)) return name;
  }
  return undefined;
}

/**
 * Parse and check an agent configuration object.
 *
 * @param json - the file's object
 * @param options - file name for messages, whether required keys must be set
 * @returns the normalised config and warnings
 * @throws {ConfigError} ERR_CONFIG_INVALID with every issue (exit code 2)
 * @example
 * ```ts
 * const { config, warnings } = parseAgentConfig({ api_endpoint: 'https://mfa.adatum.labnet', … });
 * ```
 */
export function parseAgentConfig(
  json: unknown,
  options: ParseAgentConfigOptions = {},
): ParsedAgentConfig {
  const file = options.file ?? '<inline>';
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${file}: expected a JSON object of settings`, {
      file,
      hint: 'run securemfa-win-otp install to write a configuration',
    });
  }
  const config = defaultAgentConfig() as Record<AgentKeyName, unknown>;
  const seen = new Map<AgentKeyName, string>();
  const bad = new Set<AgentKeyName>();
  for (const [written, raw] of Object.entries(json as Record<string, unknown>)) {
    const name = canonicalName(written);
    if (name === undefined) {
      const hint = suggest(written);
      warnings.push(
        `${file}: unknown key "${written}" (ignored)${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
      );
      continue;
    }
    const k = AGENT_KEYS[name] as AgentKey;
    const value = coerce(k, raw);
    if (value === undefined) {
      const shown = k.secret === true ? SECRET_MASK : JSON.stringify(raw);
      const expected = expects(k);
      issues.push({
        file,
        key: written,
        value: shown,
        expected,
        message: `${file}: ${written}: got ${shown}, expected ${expected}`,
      });
      bad.add(name);
      continue;
    }
    const previous = seen.get(name);
    if (previous !== undefined && config[name] !== value) {
      issues.push({
        file,
        key: written,
        message: `${file}: ${written} and ${previous} are the same setting with different values: keep one`,
      });
      continue;
    }
    seen.set(name, written);
    config[name] = value;
  }
  const c = config as AgentConfig;
  if (options.requireAll ?? true) {
    for (const name of REQUIRED_KEYS) {
      if (c[name] === '' && !bad.has(name)) {
        issues.push({
          file,
          key: name,
          message: `${file}: ${name} is not set: install with --${AGENT_KEYS[name].flag}`,
        });
      }
    }
  }
  if (c.api_proxy_enable && c.api_proxy_server === '') {
    issues.push({
      file,
      key: 'api_proxy_server',
      message: `${file}: api_proxy_server is empty, but api_proxy_enable is true: set the proxy host`,
    });
  }
  if (issues.length > 0) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `${file}: ${issues.length} problem(s) in the agent configuration`,
      { file, issues, hint: 'fix the values (securemfa-win-otp install rewrites the file)' },
    );
  }
  for (const name of ['data_encryption_passphrase', 'api_headers_value'] as const) {
    const value = c[name];
    if (SAMPLE_SECRETS.has(value.trim())) {
      warnings.push(`${file}: ${name} is a sample value printed in the manuals: change it`);
    } else if (value !== '' && value.length < 16) {
      warnings.push(`${file}: ${name} is shorter than 16 characters: use a longer random value`);
    }
  }
  if (c.api_endpoint.startsWith('http://')) {
    warnings.push(
      `${file}: api_endpoint uses http://: messages are encrypted, but the x-api-key header travels in clear text`,
    );
  }
  return { config: c, warnings };
}

/**
 * The config with its secrets masked (for status, logs, messages).
 *
 * @param config - the config
 * @returns a copy with secret values as `********` (empty ones stay empty)
 */
export function maskAgentConfig(config: AgentConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const name of AGENT_KEY_NAMES) {
    if ((AGENT_KEYS[name] as AgentKey).secret === true && out[name] !== '') out[name] = SECRET_MASK;
  }
  return out;
}
