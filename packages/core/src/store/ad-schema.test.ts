import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { AD_ATTRIBUTE_NAMES } from './ad-attributes.js';
import { SCHEMA_DN_PLACEHOLDER, defaultDataDn, renderSchemaLdif } from './ad-schema.js';

const LDIF = fileURLToPath(
  new URL('../../../../ad-schema/securemfa-otp-schema.ldif', import.meta.url),
);

describe('renderSchemaLdif', () => {
  it('equals the committed ad-schema/securemfa-otp-schema.ldif (regenerate: SECUREMFA_WRITE_LDIF=1 jest ad-schema.test)', () => {
    const text = renderSchemaLdif();
    if (process.env.SECUREMFA_WRITE_LDIF === '1') writeFileSync(LDIF, text);
    expect(readFileSync(LDIF, 'utf8')).toBe(text);
  });

  it('orders the records: attributes, schemaUpdateNow, class, schemaUpdateNow, User auxiliaryClass, schemaUpdateNow', () => {
    const records = renderSchemaLdif()
      .split(/\n\n+/)
      .map((r) => r.split('\n').filter((l) => !l.startsWith('#')))
      .filter((lines) => lines.length > 0)
      .map((lines) => {
        const dn = lines[0]!;
        if (dn === 'dn:') return 'update';
        if (lines.includes('objectClass: attributeSchema')) return 'attribute';
        if (lines.includes('objectClass: classSchema')) return 'class';
        if (lines.includes('add: auxiliaryClass')) return 'aux';
        return dn;
      });
    expect(records).toEqual([
      ...AD_ATTRIBUTE_NAMES.map(() => 'attribute'),
      'update',
      'class',
      'update',
      'aux',
      'update',
    ]);
  });

  it('names the schema container only through the DC=X placeholder and lists every attribute in the class', () => {
    const text = renderSchemaLdif();
    const dns = text.split('\n').filter((l) => l.startsWith('dn: '));
    for (const dn of dns) expect(dn.endsWith(SCHEMA_DN_PLACEHOLDER)).toBe(true);
    for (const name of AD_ATTRIBUTE_NAMES) expect(text).toContain(`mayContain: ${name}\n`);
    // Plain ASCII, no folded lines: both ldapmodify and ldifde read it as is.
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    expect(text.split('\n').every((l) => l.length <= 120)).toBe(true);
  });
});

describe('defaultDataDn', () => {
  it('puts the data container in Program Data of the base DN domain', () => {
    expect(defaultDataDn('DC=contoso,DC=com')).toBe(
      'CN=SecureMFA,CN=Program Data,DC=contoso,DC=com',
    );
    expect(defaultDataDn('OU=Staff, OU=London,dc=corp,dc=contoso,dc=com')).toBe(
      'CN=SecureMFA,CN=Program Data,dc=corp,dc=contoso,dc=com',
    );
    expect(defaultDataDn('OU=A\\,DC=x,DC=example,DC=org')).toBe(
      'CN=SecureMFA,CN=Program Data,DC=example,DC=org',
    );
  });

  it('throws a TypeError when the base DN names no domain', () => {
    expect(() => defaultDataDn('O=Example')).toThrow(TypeError);
  });
});
