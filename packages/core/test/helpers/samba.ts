/**
 * Test helper: a real Samba AD DC on 127.0.0.1 for the AD integration tests, started by
 * tools/testenv/samba-dc.sh (provisioned cold the first time, restored from a snapshot later, or
 * reused when already running). Each test file takes a lease in `beforeAll` and releases it in
 * `afterAll`; the DC stops when the last lease holder leaves (unless someone started it by hand).
 * Needs root (Samba binds ports 389/636) and the Samba packages (the script names them).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Attribute, Change, Client, NoSuchObjectError } from 'ldapts';

/** Connection facts of the running DC (from the script's env block). */
export interface SambaDc {
  url: string;
  ldapsUrl: string;
  baseDn: string;
  realm: string;
  adminDn: string;
  adminUpn: string;
  adminPassword: string;
  caFile: string;
  tlsServername: string;
  /** How it came up: `cold` (provisioned), `snapshot` (restored), `running` (reused). */
  started: string;
  /** Milliseconds the start took. */
  startMs: number;
}

const SCRIPT = fileURLToPath(new URL('../../../../tools/testenv/samba-dc.sh', import.meta.url));
/** Cold start (~8 s) plus, for an exclusive lease, waiting for the other AD test files. */
const START_TIMEOUT_MS = 660_000;

function runScript(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      SCRIPT,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null) {
          reject(new Error(`${SCRIPT} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

function parseEnv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  return env;
}

let lease: string | undefined;

/**
 * Start (or reuse) the DC and take a lease on it.
 *
 * @param options - `exclusive`: for a test file that changes the schema. It waits until no other
 *   file holds the DC and keeps them waiting until it releases it (Samba's single-process mode
 *   crashes when the schema changes while another connection searches).
 * @returns its connection facts
 */
export async function startSambaDc(options: { exclusive?: boolean } = {}): Promise<SambaDc> {
  lease ??= `${process.pid}-${randomUUID().slice(0, 8)}`;
  const args = ['start', '--lease', lease, ...(options.exclusive === true ? ['--exclusive'] : [])];
  const env = parseEnv(await runScript(args, START_TIMEOUT_MS));
  const get = (k: string): string => {
    const v = env.get(k);
    if (v === undefined) throw new Error(`samba-dc.sh printed no ${k}`);
    return v;
  };
  return {
    url: get('SAMBA_DC_URL'),
    ldapsUrl: get('SAMBA_DC_LDAPS_URL'),
    baseDn: get('SAMBA_DC_BASE_DN'),
    realm: get('SAMBA_DC_REALM'),
    adminDn: get('SAMBA_DC_ADMIN_DN'),
    adminUpn: get('SAMBA_DC_ADMIN_UPN'),
    adminPassword: get('SAMBA_DC_ADMIN_PASSWORD'),
    caFile: get('SAMBA_DC_CA_FILE'),
    tlsServername: get('SAMBA_DC_TLS_SERVERNAME'),
    started: get('SAMBA_DC_STARTED'),
    startMs: Number(get('SAMBA_DC_START_MS')),
  };
}

/** Release this process's lease (the DC stops when no lease remains). */
export async function releaseSambaDc(): Promise<void> {
  if (lease === undefined) return;
  const id = lease;
  lease = undefined;
  await runScript(['release', id], 60_000);
}

/** A bound admin client; the caller must `unbind()` it (in `finally`). */
export async function adminClient(dc: SambaDc): Promise<Client> {
  const client = new Client({ url: dc.url, timeout: 10_000, connectTimeout: 10_000 });
  try {
    await client.bind(dc.adminDn, dc.adminPassword);
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw err;
  }
  return client;
}

/** A short unique suffix for names created by one test run (the DC may outlive the run). */
export function uniqueSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

/** What {@link createAdUser} creates. */
export interface AdTestUser {
  dn: string;
  sam: string;
  upn: string;
}

/**
 * Create an AD user (under CN=Users) with the given UPN and extra attributes, optionally with a
 * password (then enabled, userAccountControl 512).
 *
 * @returns the user's DN, sAMAccountName and UPN
 */
export async function createAdUser(
  dc: SambaDc,
  upn: string,
  options: {
    attributes?: Record<string, string | string[]>;
    password?: string;
    /** Where to create it (default `CN=Users,<base DN>`). */
    container?: string;
  } = {},
): Promise<AdTestUser> {
  const sam = `t${uniqueSuffix()}`;
  const dn = `CN=${sam},${options.container ?? `CN=Users,${dc.baseDn}`}`;
  const client = await adminClient(dc);
  try {
    const attrs: Record<string, string | string[] | Buffer[]> = {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: sam,
      userPrincipalName: upn,
      ...options.attributes,
    };
    await client.add(dn, attrs as Record<string, string | string[]>);
    if (options.password !== undefined) {
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
  } finally {
    await client.unbind();
  }
  return { dn, sam, upn };
}

/**
 * Create an organizational unit under the base DN, so a suite can see only its own users (the DC
 * is shared by every test process on the machine).
 *
 * @returns its DN
 */
export async function createOu(dc: SambaDc, name: string): Promise<string> {
  const dn = `OU=${name},${dc.baseDn}`;
  const client = await adminClient(dc);
  try {
    await client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name });
  } finally {
    await client.unbind();
  }
  return dn;
}

/** Delete an OU and everything under it (missing entries are ignored). */
export async function deleteOu(dc: SambaDc, dn: string): Promise<void> {
  const client = await adminClient(dc);
  try {
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
  } finally {
    await client.unbind();
  }
}

/** Delete AD users created by a test (missing ones are ignored). */
export async function deleteAdUsers(dc: SambaDc, users: readonly AdTestUser[]): Promise<void> {
  if (users.length === 0) return;
  const client = await adminClient(dc);
  try {
    for (const u of users) await client.del(u.dn).catch(() => undefined);
  } finally {
    await client.unbind();
  }
}

/** Read raw attribute values of an entry as the admin (for assertions); `{}` when it does not exist. */
export async function readRaw(
  dc: SambaDc,
  dn: string,
  attributes: string[],
): Promise<Record<string, string[]>> {
  const client = await adminClient(dc);
  try {
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
  } finally {
    await client.unbind();
  }
}
