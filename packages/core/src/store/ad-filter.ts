/**
 * LDAP search filters and distinguished names built from untrusted text (a UPN typed at a logon
 * page, a provider id, an attribute name from a config file) — escaped so that the text is always
 * a value, never filter or DN syntax.
 *
 * @see RFC 4515 §3 (string representation of search filters: `*`, `(`, `)`, `\` and NUL must be
 *   written as `\2a`, `\28`, `\29`, `\5c`, `\00`)
 * @see RFC 4514 §2.4 (string representation of distinguished names: escaping attribute values)
 * @see RFC 4512 §2.5 (attribute descriptions: `keystring` or numeric OID, with `;options`)
 * @module store
 */
import { AndFilter, EqualityFilter, FilterParser, OrFilter, type Filter } from 'ldapts';

/**
 * Escape a value for use inside an LDAP search filter. Besides the five characters RFC 4515
 * requires, every other control character is escaped too, so a filter never carries a raw
 * newline or DEL into a log line.
 *
 * @param value - any text (e.g. a UPN as typed by a user)
 * @returns the value with `*`, `(`, `)`, `\`, NUL and control characters written as `\XX`
 * @throws {TypeError} when value is not a string
 * @see RFC 4515 §3
 * @example
 * ```ts
 * escapeFilterValue('*)(objectClass=*');   // '\\2a\\29\\28objectClass=\\2a'
 * ```
 */
export function escapeFilterValue(value: string): string {
  if (typeof value !== 'string') throw new TypeError('"value" must be a string');
  // eslint-disable-next-line no-control-regex
  const special = /[*()\\\u0000-\u001f\u007f]/g;
  return value.replace(special, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const KEYSTRING = /^[A-Za-z][A-Za-z0-9-]*$/;
const NUMERICOID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;
const OPTION = /^[A-Za-z0-9-]+$/;

/**
 * True when `name` is a valid attribute description: a name (`mail`,
 * `msDS-cloudExtensionAttribute10`) or a numeric OID, optionally followed by `;options`.
 *
 * @param name - the attribute name to check
 * @returns whether it may be placed in a filter or an attribute list as is
 * @see RFC 4512 §2.5
 */
export function isAttributeDescription(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0 || name.length > 256) return false;
  const [type, ...options] = name.split(';');
  if (type === undefined || !(KEYSTRING.test(type) || NUMERICOID.test(type))) return false;
  return options.every((o) => OPTION.test(o));
}

function checkAttribute(attribute: string): void {
  if (!isAttributeDescription(attribute)) {
    throw new TypeError(
      `"${attribute}" is not an LDAP attribute name (letters, digits, "-"; or an OID)`,
    );
  }
}

/**
 * An equality filter `(attribute=value)` with the value escaped.
 *
 * @param attribute - attribute name (validated, not escaped)
 * @param value - the value to match (escaped)
 * @returns the filter text
 * @throws {TypeError} when attribute is not a valid attribute description
 * @example
 * ```ts
 * equalityFilter('userPrincipalName', 'alice@adatum.labnet'); // '(userPrincipalName=alice@adatum.labnet)'
 * ```
 */
export function equalityFilter(attribute: string, value: string): string {
  checkAttribute(attribute);
  return `(${attribute}=${escapeFilterValue(value)})`;
}

/**
 * A substring filter `(attribute=prefix*)` with the prefix escaped; an empty prefix is a presence
 * filter `(attribute=*)`.
 *
 * @param attribute - attribute name (validated)
 * @param prefix - the literal prefix (escaped, so a `*` in it matches a `*`)
 * @returns the filter text
 * @throws {TypeError} when attribute is not a valid attribute description
 */
export function prefixFilter(attribute: string, prefix: string): string {
  checkAttribute(attribute);
  return `(${attribute}=${escapeFilterValue(prefix)}*)`;
}

/**
 * A presence filter `(attribute=*)`.
 *
 * @param attribute - attribute name (validated)
 * @returns the filter text
 * @throws {TypeError} when attribute is not a valid attribute description
 */
export function presenceFilter(attribute: string): string {
  checkAttribute(attribute);
  return `(${attribute}=*)`;
}

/**
 * The conjunction `(&f1f2…)` of filters that were built by this module.
 *
 * @param filters - complete filters, each in parentheses
 * @returns the AND filter (or the single filter when there is only one)
 * @throws {TypeError} when a part is not parenthesised
 */
export function andFilter(...filters: string[]): string {
  for (const f of filters) {
    if (!f.startsWith('(') || !f.endsWith(')'))
      throw new TypeError(`not a filter: ${JSON.stringify(f)}`);
  }
  if (filters.length === 1) return filters[0]!;
  return `(&${filters.join('')})`;
}

/**
 * A filter matching any of the given `objectGUID`s, for the ldapts client: `(&<base>(|(objectGUID=…)…))`
 * built as filter objects, because ldapts encodes the value of a string filter as UTF-8 after
 * un-escaping `\\XX`, so a binary value written in filter text would reach the server altered.
 *
 * @param base - a complete text filter built by this module (e.g. the enrolled-user filter)
 * @param guids - the 16-byte GUIDs (at least one)
 * @returns the filter to pass as `filter`
 * @throws {TypeError} when there is no GUID or one is not 16 bytes
 * @example
 * ```ts
 * await client.search(baseDn, { filter: objectGuidFilter('(objectClass=user)', [guid]) });
 * ```
 */
export function objectGuidFilter(base: string, guids: readonly Buffer[]): Filter {
  if (guids.length === 0) throw new TypeError('"guids" must hold at least one GUID');
  const equalities = guids.map((g) => {
    if (!Buffer.isBuffer(g) || g.length !== 16) throw new TypeError('a GUID is 16 bytes');
    return new EqualityFilter({ attribute: 'objectGUID', value: Buffer.from(g) });
  });
  return new AndFilter({
    filters: [FilterParser.parseString(base), new OrFilter({ filters: equalities })],
  });
}

/**
 * Escape an attribute value for use in a distinguished name (an RDN value such as the `CN=` of a
 * provider registration).
 *
 * @param value - the raw value (non-empty)
 * @returns the value with `,`, `+`, `"`, `\`, `<`, `>`, `;`, `=`, NUL, a leading `#` or space
 *   and a trailing space escaped
 * @throws {TypeError} when value is empty or not a string
 * @see RFC 4514 §2.4
 * @example
 * ```ts
 * escapeDnValue('qr-otp');     // 'qr-otp'
 * escapeDnValue('a,b=c');      // 'a\\,b\\=c'
 * ```
 */
export function escapeDnValue(value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError('"value" must be a non-empty string');
  }
  const last = value.length - 1;
  let out = '';
  for (let i = 0; i <= last; i += 1) {
    const c = value[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).padStart(2, '0')}`;
    else if (',+"\\<>;='.includes(c)) out += `\\${c}`;
    else if ((i === 0 && (c === '#' || c === ' ')) || (i === last && c === ' ')) out += `\\${c}`;
    else out += c;
  }
  return out;
}
