/**
 * A directory backed by the OTP store itself: `mail` and `mobile` from the record's e-mail and
 * mobile fields. Used when no AD/LDAP directory is configured.
 *
 * @module directory
 */
import type { UserStore } from '../store/user-store.js';
import type { Directory } from './directory.js';

const FIELD_OF: Record<string, 'email' | 'mobile'> = {
  mail: 'email',
  email: 'email',
  mobile: 'mobile',
  telephonenumber: 'mobile',
};

/**
 * Create a store-backed directory.
 *
 * @param store - the OTP store
 * @returns a directory answering `mail`/`email` and `mobile`/`telephoneNumber`
 */
export function createStoreDirectory(store: UserStore): Directory {
  return {
    kind: 'store',
    async attributes(upn, names, signal) {
      const record = await store.get(upn, signal);
      const out: Record<string, string> = {};
      if (record === undefined) return out;
      for (const name of names) {
        const field = FIELD_OF[name.toLowerCase()];
        const value = field === undefined ? null : record[field];
        if (typeof value === 'string' && value.length > 0) out[name] = value;
      }
      return out;
    },
    async close() {},
  };
}
