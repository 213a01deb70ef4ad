/**
 * How commands name a store in their reports — never with a password or connection string.
 *
 * @module cli
 */
import type { StoreOptions } from '../../store/open-store.js';

/**
 * A one-line, secret-free description of where a store is.
 *
 * @param options - the store options
 * @returns e.g. `sqlite /var/lib/securemfa/otp.db`, `mssql sql1,1433/SecureMfaOTP`
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
      return `mssql ${options.server}/${options.database ?? ''}`;
    case 'ad':
      return `ad ${options.url} ${options.baseDn}`;
  }
}
