/**
 * The AD schema extension against a real Samba AD DC on 127.0.0.1: applying it over LDAP is
 * idempotent and reports each item; a fresh copy (renamed, with its own OIDs, because schema
 * objects can never be removed) shows every item `added` and then `exists`; the committed LDIF
 * applies with the ldapmodify command of ad-schema/README.md; refusals carry hints.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Attribute, Change } from 'ldapts';
import {
  adminClient,
  createAdUser,
  deleteAdUsers,
  readRaw,
  releaseSambaDc,
  startSambaDc,
  uniqueSuffix,
  type AdTestUser,
  type SambaDc,
} from '@securemfa/testkit';
import { AD_OID_ARC } from '../src/store/ad-attributes.js';
import {
  applyAdSchema,
  readAdSchemaStatus,
  SECUREMFA_AD_SCHEMA,
  type AdSchemaDefinition,
  type AdSchemaOptions,
} from '../src/store/ad-schema.js';

jest.setTimeout(60_000);

let dc: SambaDc;
const created: AdTestUser[] = [];
const LDIF = fileURLToPath(
  new URL('../../../ad-schema/securemfa-otp-schema.ldif', import.meta.url),
);

function options(extra: Partial<AdSchemaOptions> = {}): AdSchemaOptions {
  return {
    url: dc.url,
    baseDn: dc.baseDn,
    bindDn: dc.adminDn,
    bindPassword: dc.adminPassword,
    timeoutMs: 20_000,
    ...extra,
  };
}

/** A copy of the extension with its own names and OIDs (schema objects cannot be deleted). */
function renamed(
  tag: string,
  count = SECUREMFA_AD_SCHEMA.attributes.length,
  prefix = 'T',
): AdSchemaDefinition {
  const arc = `${AD_OID_ARC}.9.${parseInt(tag, 16)}`;
  return {
    attributes: SECUREMFA_AD_SCHEMA.attributes.slice(0, count).map((a, i) => ({
      ...a,
      name: a.name.replace('sMFA-OTP-', `sMFA-${prefix}${tag}-`),
      oid: `${arc}.1.${i + 1}`,
    })),
    auxClass: { name: `sMFA-${prefix}${tag}-User`, oid: `${arc}.2.1`, description: 'test copy' },
  };
}

const statuses = (items: { status: string }[]): string[] =>
  [...new Set(items.map((i) => i.status))].sort();

beforeAll(async () => {
  // Exclusive: this file changes the schema, which must not overlap other files' traffic.
  dc = await startSambaDc({ exclusive: true });
  process.stderr.write(`[ad-schema] Samba DC ${dc.started} in ${dc.startMs} ms\n`);
}, 700_000);

afterAll(async () => {
  if (dc !== undefined) await deleteAdUsers(dc, created);
  await releaseSambaDc();
}, 120_000);

describe('applyAdSchema', () => {
  it('applies the SecureMFA extension; a second run reports every item "exists" and changes nothing', async () => {
    const first = await applyAdSchema(options());
    expect(first.schemaNamingContext).toBe(`CN=Schema,CN=Configuration,${dc.baseDn}`);
    expect(first.items).toHaveLength(14 + 3);
    for (const item of first.items) {
      expect(['added', 'exists']).toContain(item.status);
      expect(item.problem).toBeUndefined();
    }
    const second = await applyAdSchema(options());
    expect(second).toMatchObject({ changed: false, complete: true });
    expect(statuses(second.items)).toEqual(['exists']);
    expect(second.items.map((i) => i.name)).toEqual(first.items.map((i) => i.name));
    const status = await readAdSchemaStatus(options());
    expect(status).toMatchObject({ changed: false, complete: true });
  });

  it('a fresh copy: every item "missing", then "added" in order, then "exists"; the attributes work on users', async () => {
    const tag = uniqueSuffix();
    // Four attributes are enough to see every step (each schema change reloads the DC's schema).
    const schema = renamed(tag, 4);
    const dataDn = `CN=SecureMFA-${tag},CN=Program Data,${dc.baseDn}`;
    const before = await readAdSchemaStatus(options({ schema, dataDn }));
    expect(before.complete).toBe(false);
    expect(statuses(before.items)).toEqual(['missing']);

    const applied = await applyAdSchema(options({ schema, dataDn }));
    expect(applied.changed).toBe(true);
    expect(applied.items.map((i) => `${i.kind}:${i.name}:${i.status}`)).toEqual([
      ...schema.attributes.map((a) => `attribute:${a.name}:added`),
      `class:${schema.auxClass.name}:added`,
      `auxiliaryClass:${schema.auxClass.name}:added`,
      `container:${dataDn}:added`,
    ]);
    const again = await applyAdSchema(options({ schema, dataDn }));
    expect(again).toMatchObject({ changed: false, complete: true });
    expect(statuses(again.items)).toEqual(['exists']);

    // The class is attached to user: its attributes can be written on any user at once.
    const u = await createAdUser(dc, `schema.${tag}@adatum.labnet`);
    created.push(u);
    const client = await adminClient(dc);
    try {
      await client.modify(u.dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: schema.attributes[3]!.name, values: ['0'] }),
        }),
      ]);
    } finally {
      await client.unbind();
    }
    expect(await readRaw(dc, u.dn, [schema.attributes[3]!.name])).toEqual({
      [schema.attributes[3]!.name]: ['0'],
    });
    expect(await readRaw(dc, `CN=Nonces,${dataDn}`, ['objectClass'])).toMatchObject({
      objectClass: expect.arrayContaining(['container']),
    });
  });

  it('adds attributes a newer version defines to the existing class ("updated")', async () => {
    const tag = uniqueSuffix();
    await applyAdSchema(options({ schema: renamed(tag, 3), dataDn: null }));
    const report = await applyAdSchema(options({ schema: renamed(tag, 5), dataDn: null }));
    expect(report.items.map((i) => i.status)).toEqual([
      'exists',
      'exists',
      'exists',
      'added',
      'added',
      'updated',
      'exists',
    ]);
    expect(
      (await readAdSchemaStatus(options({ schema: renamed(tag, 5), dataDn: null }))).complete,
    ).toBe(true);
  });

  it('reports an existing attribute with another syntax as a problem, not as complete', async () => {
    const tag = uniqueSuffix();
    const schema = renamed(tag, 2);
    await applyAdSchema(options({ schema, dataDn: null }));
    const clash: AdSchemaDefinition = {
      ...schema,
      attributes: [{ ...schema.attributes[0]!, kind: 'integer' }, schema.attributes[1]!],
    };
    const report = await readAdSchemaStatus(options({ schema: clash, dataDn: null }));
    expect(report.complete).toBe(false);
    expect(report.items[0]).toMatchObject({
      status: 'exists',
      problem: expect.stringContaining('syntax 2.5.5.12/64, expected 2.5.5.9/2'),
    });
  });

  it('an account that is not a Schema Admin gets ERR_STORE_SCHEMA with a hint', async () => {
    const password = `Sc-${uniqueSuffix()}-7x!`;
    const u = await createAdUser(dc, `noschema.${uniqueSuffix()}@adatum.labnet`, { password });
    created.push(u);
    await expect(
      applyAdSchema(
        options({
          bindDn: u.upn,
          bindPassword: password,
          schema: renamed(uniqueSuffix(), 1),
          dataDn: null,
        }),
      ),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_SCHEMA',
      hint: expect.stringContaining('Schema Admins'),
    });
  });

  it('a wrong password gets ERR_STORE_UNAVAILABLE with the bind hint', async () => {
    await expect(applyAdSchema(options({ bindPassword: 'wrong' }))).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      hint: expect.stringContaining('ldap_bind_dn / ldap_bind_password'),
    });
  });
});

describe('ad-schema/securemfa-otp-schema.ldif', () => {
  it('applies with the ldapmodify command of ad-schema/README.md', async () => {
    const tag = uniqueSuffix();
    const n = parseInt(tag, 16);
    // The committed file, renamed (schema objects are permanent) and with DC=X replaced.
    const ldif = readFileSync(LDIF, 'utf8')
      .replaceAll('sMFA-OTP-', `sMFA-L${tag}-`)
      .replaceAll(AD_OID_ARC, `${AD_OID_ARC}.8.${n}`)
      .replaceAll('DC=X', dc.baseDn);
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        'ldapmodify',
        ['-x', '-H', dc.url, '-D', dc.adminDn, '-w', dc.adminPassword],
        {
          stdio: ['pipe', 'ignore', 'pipe'],
          timeout: 60_000,
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
      child.stdin.end(ldif);
    });
    expect(result).toEqual({ code: 0, stderr: '' });
    const schema: AdSchemaDefinition = {
      attributes: SECUREMFA_AD_SCHEMA.attributes.map((a) => ({
        ...a,
        name: a.name.replace('sMFA-OTP-', `sMFA-L${tag}-`),
        oid: a.oid.replace(AD_OID_ARC, `${AD_OID_ARC}.8.${n}`),
      })),
      auxClass: { ...SECUREMFA_AD_SCHEMA.auxClass, name: `sMFA-L${tag}-User` },
    };
    const status = await readAdSchemaStatus(options({ schema, dataDn: null }));
    expect(status.items.filter((i) => i.status !== 'exists' || i.problem !== undefined)).toEqual(
      [],
    );
    expect(status.complete).toBe(true);
  });
});
