/**
 * How the support tools name a store in their messages — never with a password or a
 * connection string's secrets.
 *
 * @module store-label
 */
import type { StoreOptions } from '@securemfa/core';

/**
 * A one-line, secret-free description of where a store is.
 *
 * @param options - the store options
 * @returns e.g. `sqlite /var/lib/securemfa/otp.db`, `postgres db1:5432/securemfa`,
 *   `ad ldaps://dc1.contoso.com DC=contoso,DC=com`
 */
export function storeLabel(options: StoreOptions): string {
  switch (options.kind) {
    case 'sqlite':
      return `sqlite ${options.path}`;
    case 'memory':
      return 'memory';
    case 'postgres': {
      try {
        const url = new URL(options.connectionString);
        return `postgres ${url.hostname}${url.port === '' ? '' : `:${url.port}`}${url.pathname}`;
      } catch {
        return 'postgres';
      }
    }
    case 'mssql':
      return `mssql ${options.server}/${options.database}`;
    case 'ad':
      return `ad ${options.url} ${options.baseDn}`;
  }
}
