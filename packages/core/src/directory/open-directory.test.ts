import { describe, expect, it } from '@jest/globals';
import { DirectoryError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import {
  directoryOptionsFromConfig,
  openDirectory,
  usesLdapDirectory,
  DEFAULT_DIRECTORY_TIMEOUT_MS,
} from './open-directory.js';

const ldapKeys = {
  ldap_url: 'ldaps://dc1.adatum.labnet:636',
  ldap_base_dn: 'DC=adatum,DC=labnet',
  ldap_bind_dn: 'svc-mfa@adatum.labnet',
  ldap_bind_password: 'not-a-real-password',
};

describe('usesLdapDirectory', () => {
  it.each([
    [{ auth_mode: 'SQLITE' }, false],
    [{ auth_mode: 'SQL', ldap_url: '' }, false],
    [{ auth_mode: 'POSTGRES', ldap_url: '   ' }, false],
    [{ auth_mode: 'AD' }, true],
    [{ auth_mode: 'ad' }, true],
    [{ auth_mode: 'SQLITE', ldap_url: 'ldap://127.0.0.1' }, true],
  ])('%j → %s', (config, expected) => {
    expect(usesLdapDirectory(config)).toBe(expected);
  });
});

describe('directoryOptionsFromConfig', () => {
  it('is the store directory when neither auth_mode AD nor ldap_url is set', () => {
    expect(directoryOptionsFromConfig({ auth_mode: 'SQLITE' }, { cwd: '/etc/x' })).toEqual({
      kind: 'store',
    });
  });

  it('is LDAP with the ldap_* settings when ldap_url is set (store elsewhere)', () => {
    expect(
      directoryOptionsFromConfig(
        {
          auth_mode: 'SQLITE',
          ...ldapKeys,
          ldap_tls_ca_file: 'ca/dc.pem',
          ldap_tls_servername: 'DC1.adatum.labnet',
          ldap_timeout_ms: 1234,
        },
        { cwd: '/etc/securemfa' },
      ),
    ).toEqual({
      kind: 'ldap',
      url: 'ldaps://dc1.adatum.labnet:636',
      baseDn: 'DC=adatum,DC=labnet',
      bindDn: 'svc-mfa@adatum.labnet',
      bindPassword: 'not-a-real-password',
      tlsCaFile: '/etc/securemfa/ca/dc.pem',
      tlsServername: 'DC1.adatum.labnet',
      timeoutMs: 1234,
    });
  });

  it('is LDAP in auth_mode AD, with the default timeout and an absolute CA path kept', () => {
    expect(
      directoryOptionsFromConfig(
        { auth_mode: 'AD', ...ldapKeys, ldap_tls_ca_file: '/pki/ca.pem' },
        { cwd: '/etc/securemfa' },
      ),
    ).toMatchObject({
      kind: 'ldap',
      tlsCaFile: '/pki/ca.pem',
      timeoutMs: DEFAULT_DIRECTORY_TIMEOUT_MS,
    });
  });

  it('names every empty ldap_* key when a directory is configured but incomplete', () => {
    let caught: unknown;
    try {
      directoryOptionsFromConfig(
        { auth_mode: 'SQLITE', ldap_url: 'ldap://127.0.0.1', ldap_base_dn: 'DC=a,DC=b' },
        { cwd: '/' },
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DirectoryError);
    expect(caught).toMatchObject({ code: 'ERR_DIRECTORY_UNAVAILABLE' });
    expect((caught as Error).message).toBe(
      'the user directory is AD/LDAP (ldap_url is set), but ldap_bind_dn, ldap_bind_password are empty',
    );
    expect((caught as DirectoryError).hint).toMatch(/clear ldap_url/);
  });

  it('never puts the bind password into its error message', () => {
    try {
      directoryOptionsFromConfig({ auth_mode: 'AD', ...ldapKeys, ldap_url: '' }, { cwd: '/' });
      throw new Error('expected a DirectoryError');
    } catch (err) {
      expect((err as Error).message).toContain('ldap_url is empty');
      expect((err as Error).message).not.toContain(ldapKeys.ldap_bind_password);
    }
  });
});

describe('openDirectory', () => {
  it('kind store reads mail and mobile from the store record', async () => {
    const store = new MemoryStore();
    await store.enrol('alice@adatum.labnet', 'JBSWY3DPEHPK3PXPJBSWY3DP', new Date(0), {
      email: 'alice@example.test',
      mobile: '+447700900123',
    });
    const dir = await openDirectory({ kind: 'store' }, { store });
    expect(dir.kind).toBe('store');
    expect(await dir.attributes('ALICE@adatum.labnet', ['mail', 'mobile', 'department'])).toEqual({
      mail: 'alice@example.test',
      mobile: '+447700900123',
    });
    await dir.close();
  });

  it('kind ldap checks its options before connecting (TypeError naming the option)', async () => {
    await expect(
      openDirectory(
        {
          kind: 'ldap',
          url: 'http://dc1',
          baseDn: 'DC=a,DC=b',
          bindDn: 'x',
          bindPassword: 'y',
          timeoutMs: 1000,
        },
        { store: new MemoryStore() },
      ),
    ).rejects.toThrow(/"url" must be an ldap:\/\/ or ldaps:\/\/ URL/);
  });

  it('rejects an unknown kind', async () => {
    await expect(
      openDirectory({ kind: 'nis' } as never, { store: new MemoryStore() }),
    ).rejects.toThrow(TypeError);
  });
});
