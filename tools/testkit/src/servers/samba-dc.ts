/**
 * The real Samba AD DC of tools/testenv/samba-dc.sh on 127.0.0.1 (provisioned cold the first
 * time, restored from a snapshot later, or reused when already running), shared by the test files
 * of every package through leases: each file calls {@link startSambaDc} in `beforeAll` and
 * {@link releaseSambaDc} in `afterAll`; the DC stops when the last lease holder leaves. Plus what
 * the suites do to it as the domain admin: create and delete users and OUs, read raw attributes.
 *
 * Needs root (Samba binds ports 389/636) and the Samba packages (the script names them). When
 * the DC cannot start, {@link startSambaDc} rejects with the script's reason: suites fail, never
 * skip.
 *
 * @example
 * ```ts
 * let dc: SambaDc;
 * const users: AdTestUser[] = [];
 * beforeAll(async () => {
 *   dc = await startSambaDc();
 *   users.push(await createAdUser(dc, `alice.${uniqueSuffix()}@adatum.labnet`, { attributes: { mail } }));
 * }, 700_000);
 * afterAll(async () => {
 *   if (dc !== undefined) await deleteAdUsers(dc, users);
 *   await releaseSambaDc();
 * });
 * ```
 *
 * @module testkit/servers/samba-dc
 */
import { Attribute, Change, Client, NoSuchObjectError } from 'ldapts';
import { createTestenvLease } from './testenv-lease.js';
import { uniqueSuffix } from './unique-name.js';

/** Connection facts of the running DC (from the script's env block). */
export interface SambaDc {
  /** `ldap://127.0.0.1:389` */
  url: string;
  /** `ldaps://127.0.0.1:636` */
  ldapsUrl: string;
  /** `DC=adatum,DC=labnet` */
  baseDn: string;
  realm: string;
  adminDn: string;
  adminUpn: string;
  adminPassword: string;
  /** The CA of the DC's own TLS certificate (no SAN: verify with {@link SambaDc.tlsServername}). */
  caFile: string;
  tlsServername: string;
  /** How it came up: `cold` (provisioned), `snapshot` (restored), `running` (reused). */
  started: string;
  /** Milliseconds the start took. */
  startMs: number;
}

/** A user a test created with {@link createAdUser}. */
export interface AdTestUser {
  dn: string;
  sam: string;
  upn: string;
}

/** Options of {@link createAdUser}. */
export interface AdTestUserOptions {
  /** More attributes of the user object (`mail`, `mobile`, `sMFA-OTP-*` …). */
  attributes?: Record<string, string | string[]>;
  /** A password: the user is then enabled (userAccountControl 512) and can bind. */
  password?: string;
  /** Where to create it (default `CN=Users,<base DN>`). */
  container?: string;
}

/**
 * Longest {@link startSambaDc} waits: a cold start (~8 s) plus, for an exclusive lease, waiting
 * for the other AD test files. A `beforeAll` that starts the DC needs a timeout above this.
 */
export const SAMBA_DC_START_TIMEOUT_MS = 660_000;
/** Per LDAP operation of the admin client (the DC is shared, and busy under parallel suites). */
const ADMIN_TIMEOUT_MS = 15_000;

const lease = createTestenvLease('samba-dc.sh');

/**
 * Start (or reuse) the DC and take this test file's lease on it (a second call reuses the lease).
 *
 * @param options - `exclusive`: for a test file that changes the schema. It waits until no other
 *   file holds the DC and keeps them waiting until it releases it (Samba's single-process mode
 *   crashes when the schema changes while another connection searches).
 * @returns its connection facts
 * @throws Error with the script's reason when the DC cannot start
 */
export async function startSambaDc(options: { exclusive?: boolean } = {}): Promise<SambaDc> {
  const env = await lease.start(
    options.exclusive === true ? ['--exclusive'] : [],
    SAMBA_DC_START_TIMEOUT_MS,
  );
  return {
    url: env.get('SAMBA_DC_URL'),
    ldapsUrl: env.get('SAMBA_DC_LDAPS_URL'),
    baseDn: env.get('SAMBA_DC_BASE_DN'),
    realm: env.get('SAMBA_DC_REALM'),
    adminDn: env.get('SAMBA_DC_ADMIN_DN'),
    adminUpn: env.get('SAMBA_DC_ADMIN_UPN'),
    adminPassword: env.get('SAMBA_DC_ADMIN_PASSWORD'),
    caFile: env.get('SAMBA_DC_CA_FILE'),
    tlsServername: env.get('SAMBA_DC_TLS_SERVERNAME'),
    started: env.get('SAMBA_DC_STARTED'),
    startMs: Number(env.get('SAMBA_DC_START_MS')),
  };
}

/** Release this test file's lease (the DC stops when no lease remains). */
export async function releaseSambaDc(): Promise<void> {
  await lease.release();
}

/**
 * A client bound as the domain admin; the caller must `unbind()` it (in `finally`). Prefer
 * {@link asAdmin}, which does that.
 *
 * @param dc - the DC
 */
export async function adminClient(dc: SambaDc): Promise<Client> {
  const client = new Client({ url: dc.url, timeout: ADMIN_TIMEOUT_MS, connectTimeout: 10_000 });
  try {
    await client.bind(dc.adminDn, dc.adminPassword);
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw err;
  }
  return client;
}

/**
 * Run `work` with a client bound as the domain admin, unbound afterwards (even when it throws).
 *
 * @param dc - the DC
 * @param work - what to do
 * @returns what `work` returns
 */
export async function asAdmin<T>(dc: SambaDc, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await adminClient(dc);
  try {
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * Create an AD user with this UPN (sAMAccountName `t<unique>`), extra attributes and optionally
 * a password.
 *
 * @param dc - the DC
 * @param upn - its userPrincipalName
 * @param options - attributes, password, container
 * @returns the user's DN, sAMAccountName and UPN (delete it with {@link deleteAdUsers})
 */
export async function createAdUser(
  dc: SambaDc,
  upn: string,
  options: AdTestUserOptions = {},
): Promise<AdTestUser> {
  const sam = `t${uniqueSuffix()}`;
  const dn = `CN=${sam},${options.container ?? `CN=Users,${dc.baseDn}`}`;
  await asAdmin(dc, async (client) => {
    await client.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: sam,
      userPrincipalName: upn,
      ...options.attributes,
    });
    if (options.password !== undefined) {
      // AD takes a password as the UTF-16LE bytes of the quoted string.
      const pwd = Buffer.from(`"${options.password}"`, 'utf16le');
      await client.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [pwd] }),
        }),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userAccountControl', values: ['512'] }),
        }),
      ]);
    }
  });
  return { dn, sam, upn };
}

/**
 * Delete AD users created by a test (missing ones are ignored).
 *
 * @param dc - the DC
 * @param users - what {@link createAdUser} returned
 */
export async function deleteAdUsers(dc: SambaDc, users: readonly AdTestUser[]): Promise<void> {
  if (users.length === 0) return;
  await asAdmin(dc, async (client) => {
    for (const u of users) await client.del(u.dn).catch(() => undefined);
  });
}

/**
 * Create an organizational unit directly under the base DN, so that a suite sees only its own
 * users (the DC is shared by every test process on the machine).
 *
 * @param dc - the DC
 * @param name - its `ou` (make it unique: {@link uniqueSuffix})
 * @returns its DN (delete it with {@link deleteOu})
 */
export async function createOu(dc: SambaDc, name: string): Promise<string> {
  const dn = `OU=${name},${dc.baseDn}`;
  await asAdmin(dc, (client) =>
    client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name }),
  );
  return dn;
}

/**
 * Delete an OU and everything under it (missing entries are ignored).
 *
 * @param dc - the DC
 * @param dn - the OU's DN
 */
export async function deleteOu(dc: SambaDc, dn: string): Promise<void> {
  await asAdmin(dc, async (client) => {
    const { searchEntries } = await client
      .search(dn, { scope: 'sub', filter: '(objectClass=*)', attributes: ['1.1'] })
      .catch((err: unknown) => {
        if (err instanceof NoSuchObjectError) return { searchEntries: [] };
        throw err;
      });
    // Deepest first: a parent can only go once its children are gone.
    const dns = searchEntries
      .map((e) => e.dn)
      .sort((a, b) => b.split(',').length - a.split(',').length);
    for (const d of dns) await client.del(d).catch(() => undefined);
  });
}

/**
 * Read raw attribute values of an entry as the admin (for assertions on what a store wrote).
 *
 * @param dc - the DC
 * @param dn - the entry
 * @param attributes - which attributes
 * @returns the string values of each attribute present; `{}` when the entry does not exist
 */
export async function readRaw(
  dc: SambaDc,
  dn: string,
  attributes: string[],
): Promise<Record<string, string[]>> {
  return asAdmin(dc, async (client) => {
    const { searchEntries } = await client
      .search(dn, { scope: 'base', filter: '(objectClass=*)', attributes })
      .catch((err: unknown) => {
        if (err instanceof NoSuchObjectError) return { searchEntries: [] };
        throw err;
      });
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(searchEntries[0] ?? {})) {
      const values = (Array.isArray(v) ? v : [v]).map(String);
      if (k === 'dn' || values.length === 0) continue;
      out[k] = values;
    }
    return out;
  });
}
