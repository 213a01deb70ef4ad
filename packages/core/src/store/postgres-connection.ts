/**
 * `pg_connection_string` → the pg pool settings, in the two forms libpq users know:
 *
 * - a URL: `postgres://user:password@host:5432/db?sslmode=verify-full&sslrootcert=/etc/ca.pem`
 *   (handed to pg as it is; percent-encode special characters in the password);
 * - keyword/value pairs: `host=db1 port=5432 dbname=securemfa user=otp password='p w'
 *   sslmode=verify-full sslrootcert=/etc/ca.pem` (values with spaces in single quotes, `\'` and
 *   `\\` inside them), which pg itself does not parse.
 *
 * Also the secret-free label the store uses in messages (`db1:5432/securemfa as otp`).
 *
 * @see https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING
 * @module store
 */
import { readFileSync } from 'node:fs';
import type { PoolConfig } from 'pg';
import { storeError } from './store-problem.js';

/** What a connection string resolves to. */
export interface PgConnectionSettings {
  /** Settings for `new pg.Pool(…)` (connection part only). */
  pool: PoolConfig;
  /** `host:port/database as user`, never the password. */
  label: string;
  /** The user name, when the string names one (for grant hints). */
  user?: string | undefined;
}

/** Keywords of the keyword/value form this parser accepts. */
const KEYWORDS = [
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'application_name',
  'connect_timeout',
] as const;

type Keyword = (typeof KEYWORDS)[number];

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

function bad(message: string): never {
  throw storeError('ERR_STORE_UNAVAILABLE', 'other', `pg_connection_string: ${message}`, {
    hint: 'write it as postgres://user:password@host:5432/db, or as "host=db1 port=5432 dbname=securemfa user=otp password=…"',
  });
}

/**
 * Split a keyword/value connection string into its pairs.
 *
 * @param text - e.g. `host=db1 dbname=otp password='a b'`
 * @returns keyword → value
 * @throws {StoreError} on an unknown keyword, a missing `=`, or an unterminated quote (the
 *   message never quotes a value, which may be a password)
 */
export function parseKeywordValue(text: string): Partial<Record<Keyword, string>> {
  const out: Partial<Record<Keyword, string>> = {};
  let i = 0;
  const n = text.length;
  const space = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  while (i < n) {
    while (space(text[i])) i += 1;
    if (i >= n) break;
    let key = '';
    while (i < n && !space(text[i]) && text[i] !== '=') key += text[i++];
    while (space(text[i])) i += 1;
    if (text[i] !== '=') bad(`expected "=" after "${key}"`);
    i += 1;
    while (space(text[i])) i += 1;
    let value = '';
    if (text[i] === "'") {
      i += 1;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === "'") {
          i += 1;
          closed = true;
          break;
        } else {
          value += c;
          i += 1;
        }
      }
      if (!closed) bad(`the quoted value of "${key}" has no closing quote`);
    } else {
      while (i < n && !space(text[i])) {
        if (text[i] === '\\' && i + 1 < n) i += 1;
        value += text[i++];
      }
    }
    if (!(KEYWORDS as readonly string[]).includes(key)) {
      bad(`unknown keyword "${key}" (known: ${KEYWORDS.join(', ')})`);
    }
    out[key as Keyword] = value;
  }
  return out;
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw storeError('ERR_STORE_UNAVAILABLE', 'tls', `cannot read ${what} ${file}`, {
      cause: err,
      hint: `check ${what} in pg_connection_string (the service account must be able to read it)`,
    });
  }
}

/** TLS settings of the keyword form; undefined = plain TCP. */
function sslOf(kv: Partial<Record<Keyword, string>>): PoolConfig['ssl'] {
  const mode = kv.sslmode ?? 'prefer';
  if (!SSL_MODES.includes(mode)) bad(`sslmode must be one of ${SSL_MODES.join(', ')}`);
  // pg cannot fall back from TLS to plain TCP as libpq's allow/prefer do: those mean plain TCP.
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const ssl: Exclude<PoolConfig['ssl'], boolean | undefined> = { rejectUnauthorized: true };
  if (kv.sslrootcert !== undefined) ssl.ca = readPem(kv.sslrootcert, 'sslrootcert');
  if (kv.sslcert !== undefined) ssl.cert = readPem(kv.sslcert, 'sslcert');
  if (kv.sslkey !== undefined) ssl.key = readPem(kv.sslkey, 'sslkey');
  // verify-ca: the chain is checked, the host name is not (libpq's meaning).
  if (mode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
  return ssl;
}

/**
 * Resolve `pg_connection_string`.
 *
 * @param text - a `postgres://` / `postgresql://` URL or a keyword/value string
 * @returns the pool settings and a secret-free label
 * @throws {StoreError} `ERR_STORE_UNAVAILABLE` when it is empty or malformed (the message names
 *   the problem, never the password)
 * @example
 * ```ts
 * resolvePgConnection('host=db1 dbname=securemfa user=otp password=s3cret').label;
 * // → 'db1:5432/securemfa as otp'
 * ```
 */
export function resolvePgConnection(text: string): PgConnectionSettings {
  if (typeof text !== 'string' || text.trim() === '') {
    bad('is empty: set it to postgres://user:password@host:5432/db');
  }
  const s = text.trim();
  if (/^postgres(ql)?:\/\//i.test(s)) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      bad('is not a valid URL (percent-encode special characters in the user and password)');
    }
    const host = url.hostname === '' ? 'localhost' : url.hostname;
    const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)';
    const user = url.username === '' ? '' : ` as ${decodeURIComponent(url.username)}`;
    return {
      pool: { connectionString: s },
      label: `${host}:${url.port || '5432'}/${db}${user}`,
      user: url.username === '' ? undefined : decodeURIComponent(url.username),
    };
  }
  if (!s.includes('=')) bad('expected a postgres:// URL or keyword=value pairs');
  const kv = parseKeywordValue(s);
  const port = kv.port === undefined ? 5432 : Number(kv.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) bad('port must be 1–65535');
  const host = kv.hostaddr ?? kv.host ?? 'localhost';
  const pool: PoolConfig = {
    host,
    port,
    ...(kv.dbname === undefined ? {} : { database: kv.dbname }),
    ...(kv.user === undefined ? {} : { user: kv.user }),
    ...(kv.password === undefined ? {} : { password: kv.password }),
    ...(kv.application_name === undefined ? {} : { application_name: kv.application_name }),
    ssl: sslOf(kv),
  };
  if (kv.connect_timeout !== undefined) {
    const seconds = Number(kv.connect_timeout);
    if (!Number.isFinite(seconds) || seconds < 0) bad('connect_timeout must be seconds ≥ 0');
    if (seconds > 0) pool.connectionTimeoutMillis = seconds * 1000;
  }
  const user = kv.user === undefined ? '' : ` as ${kv.user}`;
  return { pool, label: `${host}:${port}/${kv.dbname ?? '(default)'}${user}`, user: kv.user };
}
