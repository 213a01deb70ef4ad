/**
 * The LDAP directory against a real Samba AD DC on 127.0.0.1: user attributes by UPN (mail,
 * mobile, msDS-cloudExtensionAttribute10 as api_customparams_* name them), case-insensitive
 * names returned under the requested spelling, multi-valued and binary values, injection-safe
 * lookups, TLS, and errors.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  adminClient,
  closedPort,
  createAdUser,
  deleteAdUsers,
  releaseSambaDc,
  startSambaDc,
  startSilentServer,
  uniqueSuffix,
  type AdTestUser,
  type SambaDc,
} from '@securemfa/testkit';
import { openLdapDirectory, type LdapDirectoryOptions } from '../src/directory/ldap.js';
import type { Directory } from '../src/directory/directory.js';

jest.setTimeout(30_000);

let dc: SambaDc;
let dir: Directory;
let alice: AdTestUser;
let bare: AdTestUser;
let aliceMail: string;
const created: AdTestUser[] = [];

function options(extra: Partial<LdapDirectoryOptions> = {}): LdapDirectoryOptions {
  return {
    url: dc.url,
    baseDn: dc.baseDn,
    bindDn: dc.adminDn,
    bindPassword: dc.adminPassword,
    timeoutMs: 10_000,
    ...extra,
  };
}

beforeAll(async () => {
  dc = await startSambaDc();
  process.stderr.write(`[ldap-directory] Samba DC ${dc.started} in ${dc.startMs} ms\n`);
  const sfx = uniqueSuffix();
  aliceMail = `alice.${sfx}@example.test`;
  alice = await createAdUser(dc, `Alice.${sfx}@adatum.labnet`, {
    attributes: {
      mail: aliceMail,
      mobile: '+447700900111',
      'msDS-cloudExtensionAttribute10': 'naming-A1',
      'msDS-cloudExtensionAttribute11': 'login-é✓',
      otherMobile: ['+447700900222', '+447700900333'],
    },
  });
  bare = await createAdUser(dc, `bare.${sfx}@adatum.labnet`);
  created.push(alice, bare);
  dir = await openLdapDirectory(options());
}, 700_000);

afterAll(async () => {
  await dir?.close();
  if (dc !== undefined) await deleteAdUsers(dc, created);
  await releaseSambaDc();
}, 120_000);

describe('openLdapDirectory', () => {
  it('has kind ldap', () => {
    expect(dir.kind).toBe('ldap');
  });

  it('reads mail, mobile and msDS-cloudExtensionAttribute10 of a user by UPN', async () => {
    expect(
      await dir.attributes(alice.upn, ['mail', 'mobile', 'msDS-cloudExtensionAttribute10']),
    ).toEqual({
      mail: aliceMail,
      mobile: '+447700900111',
      'msDS-cloudExtensionAttribute10': 'naming-A1',
    });
  });

  it('matches names case-insensitively and returns them under the requested spelling', async () => {
    const got = await dir.attributes(alice.upn, ['MAIL', 'MsDs-CloudExtensionAttribute11']);
    expect(Object.keys(got).sort()).toEqual(['MAIL', 'MsDs-CloudExtensionAttribute11']);
    expect(got['MsDs-CloudExtensionAttribute11']).toBe('login-é✓');
  });

  it('finds the user whatever the case of the UPN', async () => {
    expect(await dir.attributes(alice.upn.toUpperCase(), ['mobile'])).toEqual({
      mobile: '+447700900111',
    });
  });

  it('leaves out attributes the user does not have, and unknown attribute names', async () => {
    expect(
      await dir.attributes(bare.upn, ['mail', 'mobile', 'department', 'noSuchAttributeAnywhere']),
    ).toEqual({});
  });

  it('joins the values of a multi-valued attribute with ";"', async () => {
    const got = await dir.attributes(alice.upn, ['otherMobile']);
    expect(got.otherMobile?.split(';').sort()).toEqual(['+447700900222', '+447700900333']);
  });

  it('returns binary attributes base64-encoded (objectGUID is 16 bytes, objectSid 28)', async () => {
    const got = await dir.attributes(alice.upn, ['objectGUID', 'objectSid']);
    expect(Buffer.from(got.objectGUID!, 'base64')).toHaveLength(16);
    expect(Buffer.from(got.objectSid!, 'base64')).toHaveLength(28);
    // The same bytes the server holds (read independently, as a Buffer).
    const client = await adminClient(dc);
    try {
      const { searchEntries } = await client.search(alice.dn, {
        scope: 'base',
        attributes: ['objectGUID'],
        explicitBufferAttributes: ['objectGUID'],
      });
      expect(got.objectGUID).toBe((searchEntries[0]?.objectGUID as Buffer).toString('base64'));
    } finally {
      await client.unbind();
    }
  });

  it('an unknown user yields {}', async () => {
    expect(await dir.attributes(`nobody.${uniqueSuffix()}@adatum.labnet`, ['mail'])).toEqual({});
  });

  it.each([['*'], ['*)(objectClass=*'], ['*)(|(mail=*'], ['\\']])(
    'the UPN %j matches nobody (escaped filter)',
    async (upn) => {
      expect(await dir.attributes(upn, ['mail', 'userPrincipalName'])).toEqual({});
    },
  );

  it('rejects attribute names that are not LDAP attribute descriptions with a TypeError', async () => {
    await expect(dir.attributes(alice.upn, ['mail)(cn=*'])).rejects.toThrow(TypeError);
    await expect(dir.attributes(alice.upn, [''])).rejects.toThrow(TypeError);
  });

  it('LDAPS with the CA file and the server name works', async () => {
    const d = await openLdapDirectory(
      options({ url: dc.ldapsUrl, tlsCaFile: dc.caFile, tlsServername: dc.tlsServername }),
    );
    try {
      expect(await d.attributes(alice.upn, ['mobile'])).toEqual({ mobile: '+447700900111' });
    } finally {
      await d.close();
    }
  });

  it('StartTLS with the CA file and the server name works', async () => {
    const d = await openLdapDirectory(
      options({ startTls: true, tlsCaFile: dc.caFile, tlsServername: dc.tlsServername }),
    );
    try {
      expect(await d.attributes(alice.upn, ['mobile'])).toEqual({ mobile: '+447700900111' });
    } finally {
      await d.close();
    }
  });

  it('a wrong password: DirectoryError ERR_DIRECTORY_UNAVAILABLE with the bind hint', async () => {
    const d = await openLdapDirectory(options({ bindPassword: 'nope' }));
    try {
      await expect(d.attributes(alice.upn, ['mail'])).rejects.toMatchObject({
        name: 'DirectoryError',
        code: 'ERR_DIRECTORY_UNAVAILABLE',
        hint: expect.stringContaining('ldap_bind_password'),
      });
    } finally {
      await d.close();
    }
  });

  it('a dead port and a silent server fail within the timeout', async () => {
    const timeoutMs = 600;
    const silent = await startSilentServer();
    const dead = await closedPort();
    try {
      for (const url of [`ldap://127.0.0.1:${dead}`, `ldap://127.0.0.1:${silent.port}`]) {
        const d = await openLdapDirectory(options({ url, timeoutMs }));
        const start = performance.now();
        try {
          await expect(d.attributes(alice.upn, ['mail'])).rejects.toMatchObject({
            code: 'ERR_DIRECTORY_UNAVAILABLE',
          });
          expect(performance.now() - start).toBeLessThan(timeoutMs + 1500);
        } finally {
          await d.close();
        }
      }
    } finally {
      await silent.close();
    }
  });

  it('a closed directory rejects; close is idempotent', async () => {
    const d = await openLdapDirectory(options());
    await d.close();
    await d.close();
    await expect(d.attributes(alice.upn, ['mail'])).rejects.toMatchObject({
      code: 'ERR_DIRECTORY_UNAVAILABLE',
    });
  });
});
