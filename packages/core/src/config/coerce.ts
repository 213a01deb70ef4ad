/**
 * Value types of configuration keys. The manuals write every value as a JSON string (`"true"`,
 * `"5000"`, `".com;.net"`); JSON booleans, numbers and arrays are accepted too. Each helper is a
 * zod schema that coerces to the real type and, when it cannot, reports one message saying what
 * is expected — zod's own message for a failed union is a bare "Invalid input".
 *
 * Every helper registers `{ expects, json }` in {@link valueTypes}: `expects` is the phrase used
 * in error messages and in the key tables, `json` the JSON Schema of the accepted *input*
 * (generated schemas describe what may be written in the file, not the parsed value).
 *
 * @see DESIGN.md "Configuration"; STYLE.md B.6 step 3
 * @module config
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/** What a value type accepts: the message phrase and the JSON Schema of its input. */
export interface ValueType {
  /** Phrase completing "expected …", e.g. `an integer 1–65535`. */
  expects: string;
  /** JSON Schema (draft 2020-12) of the accepted input. */
  json: Record<string, unknown>;
}

/** Registry of the value types of the helpers below (read by `key()` and the docs). */
export const valueTypes = z.registry<ValueType>();

function typed<T extends z.ZodType>(schema: T, info: ValueType): T {
  valueTypes.add(schema, info);
  return schema;
}

function fail(ctx: z.RefinementCtx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

/* eslint-disable no-control-regex -- control characters are exactly what these reject */
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

/** JSON Schema pattern of a boolean written as a string (case-insensitive, spaces allowed). */
const BOOL_PATTERN = '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$';
/** JSON Schema pattern of an integer written as a string. */
const INT_PATTERN = '^\\s*\\+?[0-9]{1,15}\\s*$';

/**
 * A boolean: `true`, `false`, or the strings `"true"`/`"false"` in any case with surrounding
 * spaces — what .NET `bool.Parse` accepted in the originals. `"1"`, `"0"`, `"yes"` are rejected:
 * the manuals never write them, and guessing the meaning of a security switch is worse than
 * saying what is expected.
 *
 * @returns a zod schema with boolean output
 * @example
 * ```ts
 * boolish().parse(' True '); // true
 * ```
 */
export function boolish() {
  const expects = 'true or false';
  return typed(
    z.union([z.boolean(), z.string()], { error: expects }).transform((v, ctx) => {
      if (typeof v === 'boolean') return v;
      const t = v.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      return fail(ctx, expects);
    }),
    { expects, json: { anyOf: [{ type: 'boolean' }, { type: 'string', pattern: BOOL_PATTERN }] } },
  );
}

/**
 * An integer in `[min, max]`, as a JSON number or a string of digits (`"5000"`, `" 25 "`).
 *
 * @param min - smallest accepted value
 * @param max - largest accepted value
 * @param unit - unit named in messages and docs (`ms`, `minutes`…)
 * @returns a zod schema with number output
 * @example
 * ```ts
 * intish(1, 65535).parse('25'); // 25
 * ```
 */
export function intish(min: number, max: number, unit?: string) {
  const expects = `an integer ${min}–${max}${unit === undefined ? '' : ` (${unit})`}`;
  return typed(
    z.union([z.number(), z.string()], { error: expects }).transform((v, ctx) => {
      const n = typeof v === 'number' ? v : /^\s*\+?\d{1,15}\s*$/.test(v) ? Number(v) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? n : fail(ctx, expects);
    }),
    {
      expects,
      json: {
        anyOf: [
          { type: 'integer', minimum: min, maximum: max },
          { type: 'string', pattern: INT_PATTERN },
        ],
      },
    },
  );
}

/** Options of {@link text}. */
export interface TextOptions {
  /** Allow line breaks and tabs (UI texts). Default false: one line, no control characters. */
  multiline?: boolean;
  /** Longest accepted value (default 4096). */
  maxLength?: number;
}

/**
 * Text. A JSON number is accepted and kept as written (`"sqluseraccount": 1234`). Single-line
 * texts reject control characters: a line break in an e-mail title or a header would be header
 * injection. Values are kept exactly (no trimming) except where a helper below says otherwise.
 *
 * @param options - multiline, maxLength
 * @returns a zod schema with string output
 */
export function text(options: TextOptions = {}) {
  const { multiline = false, maxLength = 4096 } = options;
  const expects = multiline
    ? `text (at most ${maxLength} characters)`
    : `one line of text (at most ${maxLength} characters)`;
  const control = multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE;
  return typed(
    z.union([z.string(), z.number()], { error: expects }).transform((v, ctx) => {
      const s = typeof v === 'number' ? String(v) : v;
      return s.length <= maxLength && !control.test(s) ? s : fail(ctx, expects);
    }),
    { expects, json: { anyOf: [{ type: 'string', maxLength }, { type: 'number' }] } },
  );
}

/**
 * A secret (password, passphrase, key): one line, kept exactly as written — spaces included,
 * because a passphrase that encrypted existing data must not be altered (the loader warns about
 * leading or trailing spaces instead). Never shown: see `mask.ts`.
 *
 * @param options - `exactBytes`: the UTF-8 length the value must have when set
 * @returns a zod schema with string output
 */
export function secret(options: { exactBytes?: number } = {}) {
  const { exactBytes } = options;
  const expects =
    exactBytes === undefined
      ? 'one line of text'
      : `exactly ${exactBytes} characters (${exactBytes} bytes in UTF-8)`;
  return typed(
    z.union([z.string(), z.number()], { error: expects }).transform((v, ctx) => {
      const s = typeof v === 'number' ? String(v) : v;
      if (s.length > 4096 || CONTROL_SINGLE_LINE.test(s)) return fail(ctx, expects);
      if (exactBytes !== undefined && s !== '' && Buffer.byteLength(s, 'utf8') !== exactBytes) {
        return fail(ctx, expects);
      }
      return s;
    }),
    { expects, json: { anyOf: [{ type: 'string', maxLength: 4096 }, { type: 'number' }] } },
  );
}

/**
 * One of a fixed set of words, case-insensitive (`"sql"` → `SQL`), surrounding spaces ignored.
 *
 * @param values - the accepted values, in their canonical spelling
 * @returns a zod schema whose output is one of `values`
 */
export function choice<const T extends string>(values: readonly T[]) {
  const expects = `one of ${values.join(', ')}`;
  return typed(
    z.string({ error: expects }).transform((v, ctx): T => {
      const hit = values.find((c) => c.toLowerCase() === v.trim().toLowerCase());
      return hit ?? fail(ctx, expects);
    }),
    { expects, json: { type: 'string', enum: [...values] } },
  );
}

/**
 * An absolute URL with one of the given schemes, or `""` (not set). Spaces around it are
 * ignored; the URL is otherwise kept as written (a gateway path is significant).
 *
 * @param schemes - accepted schemes without the colon, e.g. `['https', 'http']`
 * @returns a zod schema with string output
 */
export function url(schemes: readonly string[]) {
  const expects = `an absolute ${schemes.map((s) => `${s}://`).join(' or ')} URL, or ""`;
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      if (s === '') return '';
      let parsed: URL;
      try {
        parsed = new URL(s);
      } catch {
        return fail(ctx, expects);
      }
      const ok = schemes.includes(parsed.protocol.slice(0, -1)) && parsed.hostname !== '';
      return ok && !/\s/.test(s) ? s : fail(ctx, expects);
    }),
    {
      expects,
      json: {
        type: 'string',
        anyOf: [{ maxLength: 0 }, { pattern: `^\\s*(${schemes.join('|')})://\\S+\\s*$` }],
      },
    },
  );
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** True for a DNS host name or an IPv4/IPv6 address (brackets allowed around IPv6). */
export function isHost(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return isIP(bare) !== 0 || HOST_NAME.test(value);
}

/**
 * A host name or IP address, or `""`. Surrounding spaces are ignored.
 *
 * @returns a zod schema with string output
 */
export function host() {
  const expects = 'a host name or IP address, or ""';
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      return s === '' || isHost(s) ? s : fail(ctx, expects);
    }),
    { expects, json: { type: 'string', maxLength: 255 } },
  );
}

/**
 * A SQL Server as the manuals write it: `host`, `host,port` or `host\instance` (in JSON the
 * backslash is written `\\`), or `""`.
 *
 * @returns a zod schema with string output
 * @see seed 000 sample: `"sqlserver": "asqlaol1.adatum.labnet,1433"`
 */
export function sqlServer() {
  const expects =
    'a SQL Server as "host", "host,port" or "host\\instance" (in JSON "host\\\\instance"), or ""';
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      if (s === '') return '';
      const m = /^([^,\\\s]+)(?:\\([A-Za-z0-9_$#-]{1,16}))?(?:,(\d{1,5}))?$/.exec(s);
      const port = m?.[3] === undefined ? 1433 : Number(m[3]);
      return m !== null && isHost(m[1] ?? '') && port >= 1 && port <= 65535
        ? s
        : fail(ctx, expects);
    }),
    { expects, json: { type: 'string', maxLength: 300 } },
  );
}

/**
 * An e-mail address (`local@domain`, optionally with a display name left to
 * `smtp_mailfrom_title`), or `""`. Surrounding spaces are ignored.
 *
 * @returns a zod schema with string output
 */
export function emailAddress() {
  const expects = 'an e-mail address like mfa.no.reply@example.com, or ""';
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      if (s === '') return '';
      const at = s.lastIndexOf('@');
      const local = s.slice(0, at);
      const domain = s.slice(at + 1);
      const ok =
        at > 0 && local.length <= 64 && /^[^\s@<>()[\]\\,;:"]+$/.test(local) && isHost(domain);
      return ok ? s : fail(ctx, expects);
    }),
    { expects, json: { type: 'string', maxLength: 320 } },
  );
}

/**
 * An HTTP header name (RFC 9110 §5.6.2 token).
 *
 * @returns a zod schema with string output
 */
export function headerName() {
  const expects = 'an HTTP header name like x-api-key';
  const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      return token.test(s) ? s : fail(ctx, expects);
    }),
    { expects, json: { type: 'string', pattern: "^\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}\\s*$" } },
  );
}

/**
 * A file path, or `""`. Relative paths are relative to the working directory of the process.
 *
 * @returns a zod schema with string output
 */
export function filePath() {
  const expects = 'a file path, or ""';
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      return s.length <= 4096 && !CONTROL_SINGLE_LINE.test(s) ? s : fail(ctx, expects);
    }),
    { expects, json: { type: 'string', maxLength: 4096 } },
  );
}

/**
 * Extra otpauth URI parameters as the manual writes them (`"&algorithm=SHA1"`), or `""`.
 *
 * @returns a zod schema with string output
 * @see seed 003 "QR code customizations"
 */
export function otpauthParams() {
  const expects = 'parameters like "&algorithm=SHA1&digits=6", or ""';
  const shape = /^(?:&[A-Za-z][A-Za-z0-9_-]*=[A-Za-z0-9._~%+-]*)*$/;
  return typed(
    z.string({ error: expects }).transform((v, ctx) => {
      const s = v.trim();
      return shape.test(s) ? s : fail(ctx, expects);
    }),
    {
      expects,
      json: { type: 'string', pattern: '^\\s*(&[A-Za-z][A-Za-z0-9_-]*=[A-Za-z0-9._~%+-]*)*\\s*$' },
    },
  );
}

/**
 * Whether `value` is an IPv4 or IPv6 network: `address/prefix`, or a bare address (one host).
 * Checked with node:net `isIP` and `BlockList` (the matcher the host uses).
 *
 * @param value - e.g. `10.0.0.0/8`, `2001:db8::/32`, `192.168.1.10`
 * @returns true when valid
 * @example
 * ```ts
 * isNetwork('192.168.1.0/24'); // true
 * isNetwork('10.0.0.0/33');    // false
 * ```
 */
export function isNetwork(value: string): boolean {
  const parts = value.split('/');
  const [address = '', prefix] = parts;
  const version = isIP(address);
  if (version === 0 || parts.length > 2) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (version === 4 ? 32 : 128)) return false;
  try {
    new BlockList().addSubnet(address, Number(prefix), version === 4 ? 'ipv4' : 'ipv6');
    return true;
  } catch {
    return false;
  }
}

const DOMAIN_SUFFIX =
  /^\.?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Whether `value` is a domain or domain suffix as ui_allowed_domains_for_otpcode lists them
 * (`.com`, `mydomain.org`).
 *
 * @param value - one list entry
 * @returns true when valid
 */
export function isDomainSuffix(value: string): boolean {
  return DOMAIN_SUFFIX.test(value);
}

const LIST_KINDS = {
  network: {
    expects: 'networks separated by ";" (e.g. 10.0.0.0/8;192.168.1.0/24;2001:db8::/32)',
    valid: isNetwork,
    normalise: (s: string) => s,
    what: 'an IPv4 or IPv6 network',
  },
  domain: {
    expects: 'domains separated by ";" (e.g. .com;.net;mydomain.org)',
    valid: isDomainSuffix,
    normalise: (s: string) => s.toLowerCase(),
    what: 'a domain',
  },
} as const;

/**
 * A list, written as the manuals do — one string with `;` between entries
 * (`".com;.net;mydomain.org"`) — or as a JSON array. Empty entries are dropped (the manual's
 * `";;"` is an empty list); `,` is accepted as a separator too.
 *
 * @param kind - `network` (CIDRs or addresses, IPv4 and IPv6) or `domain`
 * @returns a zod schema with string[] output
 * @see seed 001 "Configure Allowed Domain List"; seed 003 "Configuration of network locations"
 */
export function list(kind: keyof typeof LIST_KINDS) {
  const { expects, valid, normalise, what } = LIST_KINDS[kind];
  return typed(
    z.union([z.string(), z.array(z.string())], { error: expects }).transform((v, ctx) => {
      const items = (typeof v === 'string' ? v.split(/[;,]/) : v)
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const bad = items.find((s) => !valid(s));
      if (bad !== undefined) {
        const shown = JSON.stringify(bad.length > 60 ? `${bad.slice(0, 57)}…` : bad);
        return fail(ctx, `${expects}; ${shown} is not ${what}`);
      }
      return items.map(normalise);
    }),
    {
      expects,
      json: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
  );
}

/**
 * Whether `value` names a directory attribute (an LDAP attribute descriptor like
 * `msDS-cloudExtensionAttribute10`, or a numeric OID).
 *
 * @param value - the attribute name
 * @returns true when valid
 * @see seed 000 "API Custom AD attributes"
 */
export function isAttributeName(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value) || /^\d+(?:\.\d+)+$/.test(value);
}
