/**
 * How commands and tools name a store in their reports — never with a password or any other
 * secret of a connection string.
 *
 * @module store
 */
import type { StoreOptions } from './open-store.js';

/** host[:port]/database of a PostgreSQL connection string, URL or keyword form; no secrets. */
function postgresWhere(connectionString: string): string | undefined {
  try {
    const url = new URL(connectionString);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') {
      return `${url.hostname}${url.port === '' ? '' : `:${url.port}`}${url.pathname}`;
    }
  } catch {
    // not a URL: the libpq keyword form below
  }
  const pairs = new Map<string, string>();
  for (const m of connectionString.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
    const value = m[2] ?? '';
    pairs.set((m[1] ?? '').toLowerCase(), value.startsWith("'") ? value.slice(1, -1) : value);
  }
  const host = pairs.get('host') ?? pairs.get('hostaddr');
  const db = pairs.get('dbname');
  if (host === undefined && db === undefined) return undefined;
  const port = pairs.get('port');
  return `${host ?? 'localhost'}${port === undefined ? '' : `:${port}`}/${db ?? ''}`;
}

/**
 * A one-line, secret-free description of where a store is.
 *
 * @param options - the store options
 * @returns e.g. `sqlite /var/lib/securemfa/otp.db`, `postgres db1:5432/securemfa`,
 *   `mssql sql1,1433/SecureMfaOTP`, `ad ldaps://dc1.contoso.com DC=contoso,DC=com`
 * @example
 * ```ts
 * storeLabel({ kind: 'postgres', connectionString: 'host=db1 dbname=otp password=x' }); // 'postgres db1/otp'
 * ```
 */
export function storeLabel(options: StoreOptions): string {
  switch (options.kind) {
    case 'sqlite':
      return `sqlite ${options.path}`;
    case 'memory':
      return 'memory';
    case 'postgres': {
      const where = postgresWhere(options.connectionString);
      return where === undefined ? 'postgres' : `postgres ${where}`;
    }
    case 'mssql':
      return `mssql ${options.server}/${options.database ?? ''}`;
    case 'ad':
      return `ad ${options.url} ${options.baseDn}`;
  }
}
