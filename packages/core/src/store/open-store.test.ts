import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MemoryStore } from './memory.js';
import { parseSqlServer } from './mssql-connection.js';
import { storeProblemOf } from './store-problem.js';
import { openStore, storeOptionsFromConfig, type StoreBackends } from './open-store.js';

describe('storeOptionsFromConfig', () => {
  const cwd = join('/', 'etc', 'securemfa');

  it('maps SQLITE (the default) with sqlite_path resolved against the config folder', () => {
    expect(storeOptionsFromConfig({ auth_mode: 'SQLITE', sqlite_path: 'otp.db' }, { cwd })).toEqual(
      {
        kind: 'sqlite',
        path: join(cwd, 'otp.db'),
      },
    );
    expect(storeOptionsFromConfig({ auth_mode: '' }, { cwd, migrate: true })).toEqual({
      kind: 'sqlite',
      path: join(cwd, 'securemfa.db'),
      migrate: true,
    });
    expect(
      storeOptionsFromConfig({ auth_mode: 'sqlite', sqlite_path: '/var/lib/otp.db' }, { cwd }),
    ).toEqual({ kind: 'sqlite', path: '/var/lib/otp.db' });
    expect(
      storeOptionsFromConfig({ auth_mode: 'SQLITE', sqlite_path: ':memory:' }, { cwd }),
    ).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('maps SQL (MS SQL) with the seeds’ keys', () => {
    expect(
      storeOptionsFromConfig(
        {
          auth_mode: 'SQL',
          sqlserver: 'asqlaol1.adatum.labnet,1433',
          sqldbname: '',
          sqlintegratedsecurity: false,
          sqluseraccount: 'svc_otp',
          sqluserpassword: 'pw',
          sql_timeout_ms: 7000,
        },
        { cwd },
      ),
    ).toEqual({
      kind: 'mssql',
      server: 'asqlaol1.adatum.labnet,1433',
      database: 'SecureMfaOTP',
      integratedSecurity: false,
      user: 'svc_otp',
      password: 'pw',
      timeoutMs: 7000,
    });
  });

  it('maps POSTGRES and AD', () => {
    expect(
      storeOptionsFromConfig(
        {
          auth_mode: 'POSTGRES',
          pg_connection_string: 'postgres://u:p@db/otp',
          sql_timeout_ms: 5000,
        },
        { cwd },
      ),
    ).toEqual({ kind: 'postgres', connectionString: 'postgres://u:p@db/otp', timeoutMs: 5000 });
    expect(
      storeOptionsFromConfig(
        {
          auth_mode: 'AD',
          ldap_url: 'ldaps://dc1:636',
          ldap_base_dn: 'DC=adatum,DC=labnet',
          ldap_bind_dn: 'svc@adatum.labnet',
          ldap_bind_password: 'pw',
          ldap_tls_ca_file: 'ca.pem',
          ldap_tls_servername: '',
          ldap_timeout_ms: 3000,
        },
        { cwd },
      ),
    ).toEqual({
      kind: 'ad',
      url: 'ldaps://dc1:636',
      baseDn: 'DC=adatum,DC=labnet',
      bindDn: 'svc@adatum.labnet',
      bindPassword: 'pw',
      tlsCaFile: join(cwd, 'ca.pem'),
      timeoutMs: 3000,
    });
  });

  it('rejects an unknown auth_mode with a TypeError quoting it', () => {
    expect(() => storeOptionsFromConfig({ auth_mode: 'ORACLE' }, { cwd })).toThrow(
      '"auth_mode" must be SQLITE, SQL, POSTGRES or AD; got "ORACLE"',
    );
  });
});

describe('openStore', () => {
  /** A loader that records what was loaded; sqlite fails as a broken native build would. */
  const recording = () => {
    const loaded: string[] = [];
    const load = async <K extends keyof StoreBackends>(kind: K): Promise<StoreBackends[K]> => {
      loaded.push(kind);
      if (kind === 'sqlite') throw new Error('Could not locate the bindings file');
      return { MemoryStore } as StoreBackends[K];
    };
    return { loaded, load };
  };

  it('loads only the configured backend', async () => {
    const { loaded, load } = recording();
    const store = await openStore({ kind: 'memory' }, { load });
    expect(store).toBeInstanceOf(MemoryStore);
    expect(loaded).toEqual(['memory']);
    await store.close();
  });

  it('turns a backend that cannot be loaded into ERR_STORE_UNAVAILABLE with a rebuild hint', async () => {
    const { loaded, load } = recording();
    await expect(openStore({ kind: 'sqlite', path: 'x.db' }, { load })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('the sqlite store (auth_mode SQLITE) cannot be loaded'),
      hint: expect.stringContaining('npm rebuild better-sqlite3'),
    });
    // Another backend still opens.
    await expect(openStore({ kind: 'memory' }, { load })).resolves.toBeInstanceOf(MemoryStore);
    expect(loaded).toEqual(['sqlite', 'memory']);
  });

  it.each([
    [{ kind: 'postgres', connectionString: 'postgres://u:secretpw@db/otp' }, 'pg'],
    [
      { kind: 'mssql', server: 'sql1', database: 'otp', user: 'u', password: 'secretpw' },
      'tedious',
    ],
  ] as const)(
    'loads %j only when configured; a broken driver is ERR_STORE_UNAVAILABLE naming %s, without secrets',
    async (options, driver) => {
      const loaded: string[] = [];
      const load = async <K extends keyof StoreBackends>(kind: K): Promise<StoreBackends[K]> => {
        loaded.push(kind);
        throw new Error(`Cannot find package '${driver}'`);
      };
      const err = await openStore(options, { load }).then(
        () => new Error('opened'),
        (e: unknown) => e as Error,
      );
      expect(err).toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: expect.stringContaining(`the ${options.kind} store`),
        hint: expect.stringContaining(driver),
      });
      expect(err.message).not.toContain('secretpw');
      expect(loaded).toEqual([options.kind]);
    },
  );

  it('refuses MS SQL integrated security before connecting: Windows-only, use a SQL login', async () => {
    const err = await openStore({
      kind: 'mssql',
      server: 'sql1,1433',
      database: 'SecureMfaOTP',
      integratedSecurity: true,
    }).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(err).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('Windows-only'),
      hint: expect.stringContaining('sqluseraccount'),
    });
    expect(storeProblemOf(err)).toBe('not_supported');
  });

  it.each([
    ['sql1,1433', { host: 'sql1', port: 1433, instanceName: undefined }],
    ['sql1', { host: 'sql1', port: 1433, instanceName: undefined }],
    ['sql1\\OTP', { host: 'sql1', port: undefined, instanceName: 'OTP' }],
    [
      'tcp:sql1.adatum.labnet,14330',
      { host: 'sql1.adatum.labnet', port: 14330, instanceName: undefined },
    ],
  ])('reads sqlserver %j', (server, expected) => {
    expect(parseSqlServer(server)).toEqual(expected);
  });

  it.each(['sql1,', 'sql1,99999', 'a b', 'sql1\\'])(
    'rejects sqlserver %j naming the forms',
    (server) => {
      expect(() => parseSqlServer(server)).toThrow(
        /"host", "host,port" or "host\\instance"|port must be/,
      );
    },
  );

  it('opens the AD store lazily: an unreachable directory fails ping with ERR_STORE_UNAVAILABLE, no password', async () => {
    const store = await openStore({
      kind: 'ad',
      url: 'ldap://127.0.0.1:1',
      baseDn: 'DC=x',
      bindDn: 'b',
      bindPassword: 'secretpw',
      timeoutMs: 2000,
    });
    expect(store.kind).toBe('ad');
    const err = await store.ping().then(
      () => new Error('pinged'),
      (e: unknown) => e as Error,
    );
    await store.close();
    expect(err).toMatchObject({
      code: expect.stringMatching(/^ERR_(STORE|DIRECTORY)_UNAVAILABLE$/),
    });
    expect(err.message).not.toContain('secretpw');
  });

  it('rejects an unknown kind with a TypeError', async () => {
    await expect(openStore({ kind: 'redis' } as never)).rejects.toThrow(TypeError);
    await expect(openStore(null as never)).rejects.toThrow(TypeError);
  });

  it('opens the memory store with the default loader', async () => {
    const store = await openStore({ kind: 'memory' });
    expect(store.kind).toBe('memory');
    await store.close();
  });
});
