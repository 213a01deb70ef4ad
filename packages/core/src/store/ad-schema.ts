/**
 * The AD schema extension of AD mode: the `sMFA-OTP-*` attributes, the auxiliary class
 * `sMFA-OTP-User` attached to `user`, and the data container `CN=SecureMFA,CN=Program Data,…`.
 *
 * - {@link renderSchemaLdif} writes `ad-schema/securemfa-otp-schema.ldif` (for ldapmodify and
 *   ldifde; a test keeps the committed file equal to it);
 * - {@link applyAdSchema} applies the same definitions over LDAP with Schema Admin credentials:
 *   it adds what is missing, leaves what exists, reports each item as `added`/`exists`/`updated`,
 *   and is idempotent (the `install` command runs it on the main node);
 * - {@link readAdSchemaStatus} only reads (the `verify` command).
 *
 * Order matters on AD and Samba: attributes, then `schemaUpdateNow`, then the class, then
 * `schemaUpdateNow`, then — as a separate modify — `auxiliaryClass` on `CN=User`, then
 * `schemaUpdateNow` again (a class is not usable before the schema cache reloads).
 *
 * @see MS-ADTS §3.1.1.2 (schema objects), §3.1.1.3.3.14 (schemaUpdateNow)
 * @see seed 000 "Enable OTP Data Store in Microsoft Active Directory Attributes"
 * @module store
 */
import { Attribute, Change } from 'ldapts';
import { StoreError } from '../errors.js';
import {
  AD_ATTRIBUTES,
  AD_AUX_CLASS,
  AD_SYNTAX,
  type AdAttributeDefinition,
} from './ad-attributes.js';
import { createLdapPool, type AdConnectionOptions, type LdapSession } from './ad-connection.js';
import { LDAP_RESULT, ldapResultCode, toStoreError } from './ad-errors.js';
import { equalityFilter } from './ad-filter.js';

/** The schema naming context in the LDIF, replaced at apply time. */
export const SCHEMA_DN_PLACEHOLDER = 'CN=Schema,CN=Configuration,DC=X';

/** What the extension consists of. */
export interface AdSchemaDefinition {
  attributes: readonly AdAttributeDefinition[];
  auxClass: { name: string; oid: string; description: string };
}

/** The SecureMFA schema extension. */
export const SECUREMFA_AD_SCHEMA: AdSchemaDefinition = {
  attributes: Object.values(AD_ATTRIBUTES),
  auxClass: AD_AUX_CLASS,
};

/** One item of a schema report. */
export interface AdSchemaItem {
  kind: 'attribute' | 'class' | 'auxiliaryClass' | 'container';
  /** lDAPDisplayName, or the container DN. */
  name: string;
  /**
   * `added` now, `exists` already, `updated` (the class existed but lacked attributes, which were
   * added to it), `missing` (status reads only).
   */
  status: 'added' | 'exists' | 'updated' | 'missing';
  /** Set when an existing item differs from the definition (e.g. another syntax). */
  problem?: string;
}

/** Result of {@link applyAdSchema} and {@link readAdSchemaStatus}. */
export interface AdSchemaReport {
  /** The forest's schema naming context. */
  schemaNamingContext: string;
  /** One entry per attribute, the class, the `user` auxiliaryClass link and the container. */
  items: AdSchemaItem[];
  /** True when anything was added or updated. */
  changed: boolean;
  /** True when every item exists (after applying: always, unless a problem was reported). */
  complete: boolean;
}

/** Options of {@link applyAdSchema}: connection (a Schema Admins member) and what to apply. */
export interface AdSchemaOptions extends AdConnectionOptions {
  /** The extension to apply (default {@link SECUREMFA_AD_SCHEMA}; tests pass renamed copies). */
  schema?: AdSchemaDefinition | undefined;
  /**
   * The data container for nonces and provider registrations (default
   * `CN=SecureMFA,CN=Program Data,<the DC= part of baseDn>`); `null` skips it.
   */
  dataDn?: string | null | undefined;
}

const UPDATE_NOW = '\ndn:\nchangetype: modify\nadd: schemaUpdateNow\nschemaUpdateNow: 1\n-\n';

function attributeEntry(a: AdAttributeDefinition): Record<string, string[]> {
  const syntax = AD_SYNTAX[a.kind];
  return {
    objectClass: ['top', 'attributeSchema'],
    cn: [a.name],
    attributeID: [a.oid],
    lDAPDisplayName: [a.name],
    adminDisplayName: [a.name],
    adminDescription: [a.description],
    attributeSyntax: [syntax.attributeSyntax],
    oMSyntax: [String(syntax.oMSyntax)],
    isSingleValued: ['TRUE'],
    ...(a.rangeUpper === undefined ? {} : { rangeUpper: [String(a.rangeUpper)] }),
    searchFlags: [String(a.searchFlags)],
  };
}

function classEntry(schema: AdSchemaDefinition): Record<string, string[]> {
  const c = schema.auxClass;
  return {
    objectClass: ['top', 'classSchema'],
    cn: [c.name],
    governsID: [c.oid],
    lDAPDisplayName: [c.name],
    adminDisplayName: [c.name],
    adminDescription: [c.description],
    objectClassCategory: ['3'],
    subClassOf: ['top'],
    mayContain: schema.attributes.map((a) => a.name),
  };
}

function ldifRecord(dn: string, entry: Record<string, string[]>): string {
  const lines = [`dn: ${dn}`, 'changetype: add'];
  for (const [type, values] of Object.entries(entry))
    for (const v of values) lines.push(`${type}: ${v}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The LDIF of the extension, with the schema naming context as `CN=Schema,CN=Configuration,DC=X`
 * (replace `DC=X` with the forest root domain: see ad-schema/README.md).
 *
 * @param schema - the extension (default the SecureMFA one)
 * @returns LDIF text (RFC 2849 change records, also accepted by ldifde)
 * @example
 * ```ts
 * writeFileSync('ad-schema/securemfa-otp-schema.ldif', renderSchemaLdif());
 * ```
 */
export function renderSchemaLdif(schema: AdSchemaDefinition = SECUREMFA_AD_SCHEMA): string {
  const parts: string[] = [
    [
      '# SecureMFA OTP: Active Directory schema extension (AD mode).',
      '# Generated from packages/core/src/store/ad-attributes.ts by renderSchemaLdif(); a test keeps',
      '# this file in sync. Apply with ldapmodify or ldifde as ad-schema/README.md says, after',
      '# replacing DC=X with the forest root domain. Schema changes cannot be undone: test first.',
      `# OID arc: ${schema.auxClass.oid.replace(/\.2\.1$/, '')} (attributes .1.n, classes .2.n)`,
      '',
    ].join('\n'),
  ];
  for (const a of schema.attributes) {
    parts.push(`\n${ldifRecord(`CN=${a.name},${SCHEMA_DN_PLACEHOLDER}`, attributeEntry(a))}`);
  }
  parts.push(UPDATE_NOW);
  parts.push(
    `\n${ldifRecord(`CN=${schema.auxClass.name},${SCHEMA_DN_PLACEHOLDER}`, classEntry(schema))}`,
  );
  parts.push(UPDATE_NOW);
  parts.push(
    `\ndn: CN=User,${SCHEMA_DN_PLACEHOLDER}\nchangetype: modify\nadd: auxiliaryClass\nauxiliaryClass: ${schema.auxClass.name}\n-\n`,
  );
  parts.push(UPDATE_NOW);
  return parts.join('');
}

/** The RDNs of a DN, split at unescaped commas (RFC 4514 §3). */
function splitDn(dn: string): string[] {
  const rdns: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i += 1) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      current += c + dn[i + 1]!;
      i += 1;
    } else if (c === ',') {
      rdns.push(current);
      current = '';
    } else current += c;
  }
  rdns.push(current);
  return rdns;
}

/** The default data container DN for a base DN: `CN=SecureMFA,CN=Program Data,DC=…`. */
export function defaultDataDn(baseDn: string): string {
  const dcs = splitDn(baseDn)
    .map((rdn) => rdn.trim())
    .filter((rdn) => /^dc=/i.test(rdn));
  if (dcs.length === 0) {
    throw new TypeError(
      `cannot derive the domain from baseDn ${JSON.stringify(baseDn)}: give "dataDn"`,
    );
  }
  return `CN=SecureMFA,CN=Program Data,${dcs.join(',')}`;
}

const first = (entry: Record<string, unknown>, name: string): string | undefined => {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (Array.isArray(v)) return v[0] === undefined ? undefined : String(v[0]);
  return v === undefined ? undefined : String(v);
};

const all = (entry: Record<string, unknown>, name: string): string[] => {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (Array.isArray(v)) return v.map(String);
  return v === undefined ? [] : [String(v)];
};

async function rootDse(s: LdapSession): Promise<{ schemaNc: string; domainNc: string }> {
  const { searchEntries } = await s.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['schemaNamingContext', 'defaultNamingContext'],
  });
  const e = searchEntries[0] ?? {};
  const schemaNc = first(e as Record<string, unknown>, 'schemaNamingContext');
  if (schemaNc === undefined) {
    throw new StoreError(
      'ERR_STORE_SCHEMA',
      'the LDAP server has no schemaNamingContext: it is not Active Directory',
      {
        hint: 'AD mode needs Active Directory (or Samba AD); for other LDAP servers use a SQL store',
      },
    );
  }
  return { schemaNc, domainNc: first(e as Record<string, unknown>, 'defaultNamingContext') ?? '' };
}

async function schemaObject(
  s: LdapSession,
  schemaNc: string,
  name: string,
  attributes: string[],
): Promise<Record<string, unknown> | undefined> {
  const { searchEntries } = await s.search(schemaNc, {
    scope: 'one',
    filter: equalityFilter('lDAPDisplayName', name),
    attributes,
  });
  return searchEntries[0] as Record<string, unknown> | undefined;
}

function attributeProblem(
  def: AdAttributeDefinition,
  found: Record<string, unknown>,
): string | undefined {
  const want = AD_SYNTAX[def.kind];
  const problems: string[] = [];
  const syntax = first(found, 'attributeSyntax');
  const om = first(found, 'oMSyntax');
  if (syntax !== want.attributeSyntax || om !== String(want.oMSyntax)) {
    problems.push(
      `syntax ${syntax}/${om}, expected ${want.attributeSyntax}/${want.oMSyntax} (${def.kind})`,
    );
  }
  if ((first(found, 'isSingleValued') ?? '').toUpperCase() !== 'TRUE')
    problems.push('multi-valued, expected single-valued');
  return problems.length === 0 ? undefined : problems.join('; ');
}

async function updateNow(s: LdapSession): Promise<void> {
  await s.modify(
    '',
    new Change({
      operation: 'add',
      modification: new Attribute({ type: 'schemaUpdateNow', values: ['1'] }),
    }),
  );
}

async function inspectOrApply(options: AdSchemaOptions, apply: boolean): Promise<AdSchemaReport> {
  const schema = options.schema ?? SECUREMFA_AD_SCHEMA;
  const dataDn = options.dataDn === null ? null : (options.dataDn ?? defaultDataDn(options.baseDn));
  let pool;
  try {
    pool = await createLdapPool({ ...options, poolSize: 1 });
  } catch (err) {
    if (err instanceof TypeError) throw err;
    throw new StoreError(
      'ERR_STORE_UNAVAILABLE',
      `cannot read ldap_tls_ca_file ${options.tlsCaFile ?? ''}`,
      {
        hint: 'check the path of ldap_tls_ca_file (a PEM file)',
        cause: err,
      },
    );
  }
  const server = pool.server;
  let step = 'read the schema';
  try {
    return await pool.use(async (s) => {
      const { schemaNc } = await rootDse(s);
      const items: AdSchemaItem[] = [];
      let changed = false;

      // 1. attributes
      let added = false;
      for (const def of schema.attributes) {
        step = `check attribute ${def.name}`;
        const found = await schemaObject(s, schemaNc, def.name, [
          'attributeID',
          'attributeSyntax',
          'oMSyntax',
          'isSingleValued',
        ]);
        if (found !== undefined) {
          const problem = attributeProblem(def, found);
          items.push({
            kind: 'attribute',
            name: def.name,
            status: 'exists',
            ...(problem === undefined ? {} : { problem }),
          });
          continue;
        }
        if (!apply) {
          items.push({ kind: 'attribute', name: def.name, status: 'missing' });
          continue;
        }
        step = `add attribute ${def.name}`;
        try {
          await s.add(`CN=${def.name},${schemaNc}`, attributeEntry(def));
          items.push({ kind: 'attribute', name: def.name, status: 'added' });
          added = true;
        } catch (err) {
          // Another installer added it at the same moment.
          if (ldapResultCode(err) !== LDAP_RESULT.entryAlreadyExists) throw err;
          items.push({ kind: 'attribute', name: def.name, status: 'exists' });
        }
      }
      if (added) {
        step = 'schemaUpdateNow';
        await updateNow(s);
        changed = true;
      }

      // 2. the auxiliary class
      step = `check class ${schema.auxClass.name}`;
      const cls = await schemaObject(s, schemaNc, schema.auxClass.name, [
        'mayContain',
        'objectClassCategory',
      ]);
      const wanted = schema.attributes.map((a) => a.name);
      if (cls === undefined) {
        if (!apply) items.push({ kind: 'class', name: schema.auxClass.name, status: 'missing' });
        else {
          // Another installer may have added the attributes without reloading the schema yet.
          if (!added) await updateNow(s);
          step = `add class ${schema.auxClass.name}`;
          try {
            await s.add(`CN=${schema.auxClass.name},${schemaNc}`, classEntry(schema));
            items.push({ kind: 'class', name: schema.auxClass.name, status: 'added' });
          } catch (err) {
            if (ldapResultCode(err) !== LDAP_RESULT.entryAlreadyExists) throw err;
            items.push({ kind: 'class', name: schema.auxClass.name, status: 'exists' });
          }
          step = 'schemaUpdateNow';
          await updateNow(s);
          changed = true;
        }
      } else {
        const has = new Set(all(cls, 'mayContain').map((n) => n.toLowerCase()));
        const lacking = wanted.filter((n) => !has.has(n.toLowerCase()));
        const category = first(cls, 'objectClassCategory');
        const problem =
          category === '3' ? undefined : `objectClassCategory ${category}, expected 3 (auxiliary)`;
        if (lacking.length === 0 || !apply) {
          items.push({
            kind: 'class',
            name: schema.auxClass.name,
            status: 'exists',
            ...(lacking.length > 0 || problem !== undefined
              ? {
                  problem: [
                    problem,
                    lacking.length > 0 ? `lacks mayContain ${lacking.join(', ')}` : undefined,
                  ]
                    .filter(Boolean)
                    .join('; '),
                }
              : {}),
          });
        } else {
          step = `add mayContain to ${schema.auxClass.name}`;
          await s.modify(
            `CN=${schema.auxClass.name},${schemaNc}`,
            new Change({
              operation: 'add',
              modification: new Attribute({ type: 'mayContain', values: lacking }),
            }),
          );
          items.push({
            kind: 'class',
            name: schema.auxClass.name,
            status: 'updated',
            ...(problem === undefined ? {} : { problem }),
          });
          step = 'schemaUpdateNow';
          await updateNow(s);
          changed = true;
        }
      }

      // 3. user's auxiliaryClass (a separate modify: the class must be loaded first)
      step = 'check auxiliaryClass of user';
      const user = await schemaObject(s, schemaNc, 'user', [
        'auxiliaryClass',
        'systemAuxiliaryClass',
      ]);
      const aux = [
        ...all(user ?? {}, 'auxiliaryClass'),
        ...all(user ?? {}, 'systemAuxiliaryClass'),
      ].map((n) => n.toLowerCase());
      if (aux.includes(schema.auxClass.name.toLowerCase())) {
        items.push({ kind: 'auxiliaryClass', name: schema.auxClass.name, status: 'exists' });
      } else if (!apply) {
        items.push({ kind: 'auxiliaryClass', name: schema.auxClass.name, status: 'missing' });
      } else {
        step = `add auxiliaryClass ${schema.auxClass.name} to user`;
        try {
          await s.modify(
            `CN=User,${schemaNc}`,
            new Change({
              operation: 'add',
              modification: new Attribute({
                type: 'auxiliaryClass',
                values: [schema.auxClass.name],
              }),
            }),
          );
          items.push({ kind: 'auxiliaryClass', name: schema.auxClass.name, status: 'added' });
        } catch (err) {
          if (ldapResultCode(err) !== LDAP_RESULT.attributeOrValueExists) throw err;
          items.push({ kind: 'auxiliaryClass', name: schema.auxClass.name, status: 'exists' });
        }
        step = 'schemaUpdateNow';
        await updateNow(s);
        changed = true;
      }

      // 4. the data container and its two children
      if (dataDn !== null) {
        step = `check container ${dataDn}`;
        let status: AdSchemaItem['status'] = 'exists';
        for (const dn of [dataDn, `CN=Nonces,${dataDn}`, `CN=Providers,${dataDn}`]) {
          const exists = await s
            .search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] })
            .then(() => true)
            .catch((err: unknown) => {
              if (ldapResultCode(err) === LDAP_RESULT.noSuchObject) return false;
              throw err;
            });
          if (exists) continue;
          if (!apply) {
            status = 'missing';
            break;
          }
          step = `create container ${dn}`;
          try {
            await s.add(dn, { objectClass: ['top', 'container'] });
            status = 'added';
            changed = true;
          } catch (err) {
            if (ldapResultCode(err) !== LDAP_RESULT.entryAlreadyExists) throw err;
          }
        }
        items.push({ kind: 'container', name: dataDn, status });
      }

      const complete = items.every((i) => i.status !== 'missing' && i.problem === undefined);
      return { schemaNamingContext: schemaNc, items, changed, complete };
    });
  } catch (err) {
    const code = ldapResultCode(err);
    if (code === LDAP_RESULT.insufficientAccessRights || code === LDAP_RESULT.unwillingToPerform) {
      throw new StoreError(
        'ERR_STORE_SCHEMA',
        `${step} on ${server}: the server refused (${code})`,
        {
          hint: 'bind as a member of Schema Admins, against the schema master; on Samba start samba with --option="dsdb:schema update allowed = true"',
          cause: err,
        },
      );
    }
    throw toStoreError(err, { server, operation: step });
  } finally {
    await pool.close();
  }
}

/**
 * Apply the schema extension (idempotent): add the missing attributes, the class, the `user`
 * auxiliaryClass link and the data container; leave existing ones. Needs Schema Admins
 * membership and a connection to the schema master.
 *
 * @param options - connection (Schema Admin credentials) and optionally the extension / data DN
 * @returns per-item report; a second run reports every item `exists`
 * @throws {StoreError} ERR_STORE_SCHEMA when the server refuses a schema change (not a Schema
 *   Admin, schema updates disabled) or an OID/name conflict; ERR_STORE_UNAVAILABLE when the
 *   server cannot be reached or the bind fails
 * @throws {TypeError} on bad options
 * @example
 * ```ts
 * const report = await applyAdSchema({ url: 'ldaps://dc1.contoso.com', baseDn: 'DC=contoso,DC=com',
 *   bindDn: 'admin@contoso.com', bindPassword, timeoutMs: 10_000 });
 * for (const i of report.items) console.log(i.kind, i.name, i.status);
 * ```
 */
export async function applyAdSchema(options: AdSchemaOptions): Promise<AdSchemaReport> {
  return inspectOrApply(options, true);
}

/**
 * Read which parts of the extension exist (no writes): for `verify`.
 *
 * @param options - connection (any account that can read the schema) and the extension
 * @returns per-item report with `exists`/`missing`; `complete` when AD mode can run
 * @throws {StoreError} ERR_STORE_UNAVAILABLE when the server cannot be reached or the bind fails
 */
export async function readAdSchemaStatus(options: AdSchemaOptions): Promise<AdSchemaReport> {
  return inspectOrApply(options, false);
}
