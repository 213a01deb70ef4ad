/**
 * The LDAP directory: any attribute of a user (`mail`, `mobile`, `msDS-cloudExtensionAttribute10`
 * for api_customparams_*, …) read from Active Directory or another LDAP server, the user found by
 * `userPrincipalName` (escaped, RFC 4515). Shares the connection pool of the AD store (LDAPS or
 * StartTLS with a pinned CA, bounded time, re-bind on disconnect).
 *
 * Values:
 * - names are matched case-insensitively and returned under the spelling the caller asked for;
 * - a multi-valued attribute is returned as its values joined with `;`;
 * - binary attributes are returned base64-encoded: those AD defines as binary (objectGUID,
 *   objectSid, thumbnailPhoto, userCertificate, …, or any name with the `;binary` option), and any
 *   other value that is not valid UTF-8 text;
 * - absent attributes are absent from the result; an unknown user yields `{}`, and so does a UPN
 *   that more than one entry carries (ambiguous: nothing is guessed).
 *
 * @see seed 000 "API Custom AD attributes" (api_customparams_* name AD user attributes)
 * @module directory
 */
import { DirectoryError } from '../errors.js';
import { createLdapPool, type AdConnectionOptions, type LdapPool } from '../store/ad-connection.js';
import { toDirectoryError } from '../store/ad-errors.js';
import { equalityFilter, isAttributeDescription } from '../store/ad-filter.js';
import type { Directory } from './directory.js';

/** Options of {@link openLdapDirectory}: the `ldap_*` connection settings. */
export type LdapDirectoryOptions = AdConnectionOptions;

/** AD attributes with binary (octet string) syntax that a caller may plausibly name. */
export const BINARY_ATTRIBUTES: ReadonlySet<string> = new Set(
  [
    'objectGUID',
    'objectSid',
    'sIDHistory',
    'tokenGroups',
    'thumbnailPhoto',
    'jpegPhoto',
    'photo',
    'userCertificate',
    'userSMIMECertificate',
    'cACertificate',
    'mS-DS-ConsistencyGuid',
    'msDS-ConsistencyGuid',
    'msExchMailboxGuid',
    'msExchArchiveGUID',
    'logonHours',
    'nTSecurityDescriptor',
    'msDS-GenerationId',
    'userParameters',
  ].map((n) => n.toLowerCase()),
);

/** Most attributes one call may ask for. */
export const MAX_ATTRIBUTES = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isBinaryName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    BINARY_ATTRIBUTES.has(lower.split(';')[0]!) || lower.split(';').slice(1).includes('binary')
  );
}

/** A value as text: UTF-8 text as is, anything else base64. */
function render(value: Buffer, binary: boolean): string {
  if (binary) return value.toString('base64');
  try {
    const text = utf8.decode(value);
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? value.toString('base64') : text;
  } catch {
    return value.toString('base64');
  }
}

/**
 * Open an LDAP directory. Nothing connects until the first lookup.
 *
 * @param options - ldap_url, ldap_base_dn, ldap_bind_dn, ldap_bind_password, ldap_tls_ca_file,
 *   TLS server name, timeout, StartTLS, pool size
 * @returns a `Directory` with kind `ldap`
 * @throws {TypeError} on malformed options
 * @throws {DirectoryError} when the CA file cannot be read
 * @example
 * ```ts
 * const dir = await openLdapDirectory({ url: 'ldaps://dc1.contoso.com', baseDn: 'DC=contoso,DC=com',
 *   bindDn: 'svc-mfa@contoso.com', bindPassword, timeoutMs: 5000 });
 * await dir.attributes('alice@contoso.com', ['mail', 'msDS-cloudExtensionAttribute10']);
 * // { mail: 'alice@contoso.com', 'msDS-cloudExtensionAttribute10': 'A-1234' }
 * ```
 */
export async function openLdapDirectory(options: LdapDirectoryOptions): Promise<Directory> {
  let pool: LdapPool;
  try {
    pool = await createLdapPool(options);
  } catch (err) {
    if (err instanceof TypeError) throw err;
    throw new DirectoryError(`cannot read ldap_tls_ca_file ${options.tlsCaFile ?? ''}`, {
      hint: 'check the path of ldap_tls_ca_file (a PEM file with the CA certificate)',
      cause: err,
    });
  }
  const baseDn = options.baseDn.trim();
  let closed = false;

  return {
    kind: 'ldap',
    async attributes(upn, names, signal) {
      if (typeof upn !== 'string') throw new TypeError('"upn" must be a string');
      if (!Array.isArray(names)) throw new TypeError('"names" must be an array of attribute names');
      if (names.length > MAX_ATTRIBUTES)
        throw new TypeError(`at most ${MAX_ATTRIBUTES} attribute names per call`);
      for (const n of names) {
        if (!isAttributeDescription(n)) {
          throw new TypeError(
            `"${String(n)}" is not an LDAP attribute name (letters, digits, "-"; or an OID)`,
          );
        }
      }
      if (closed) throw new DirectoryError('the LDAP directory is closed');
      const key = upn.trim();
      if (key === '' || names.length === 0) return {};
      const wanted = [...new Set(names)];
      try {
        return await pool.use(async (s) => {
          const { searchEntries } = await s.search(baseDn, {
            scope: 'sub',
            // UPN only (no objectClass=user), so any LDAP server whose entries carry
            // userPrincipalName works, not only AD.
            filter: equalityFilter('userPrincipalName', key),
            attributes: wanted,
            // Ask for raw bytes of everything: text is decoded below, the rest base64-encoded.
            explicitBufferAttributes: wanted,
          });
          const out: Record<string, string> = {};
          const entry = searchEntries[0] as Record<string, unknown> | undefined;
          if (entry === undefined || searchEntries.length > 1) return out;
          const byLower = new Map<string, unknown>();
          for (const [k, v] of Object.entries(entry))
            if (k !== 'dn') byLower.set(k.toLowerCase(), v);
          for (const requested of wanted) {
            const raw = byLower.get(requested.toLowerCase());
            if (raw === undefined) continue;
            const list = (Array.isArray(raw) ? raw : [raw]).map((v) =>
              Buffer.isBuffer(v) ? render(v, isBinaryName(requested)) : String(v),
            );
            if (list.length === 0) continue;
            out[requested] = list.join(';');
          }
          return out;
        }, signal);
      } catch (err) {
        throw toDirectoryError(err, {
          server: pool.server,
          operation: `read attributes of ${key}`,
        });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.close();
    },
  };
}
