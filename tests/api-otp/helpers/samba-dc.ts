// The real Samba AD DC of tools/testenv/samba-dc.sh for the API OTP suites: a lease (so test
// files of every package share one DC; it stops when the last holder leaves), users created
// with the attributes a test needs, and raw reads for assertions. Same script and leases as
// packages/core/test/helpers/samba.ts, which a root test cannot import (outside its rootDir).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, NoSuchObjectError } from 'ldapts';

/** Connection facts of the running DC (the script's env block). */
export interface SambaDc {
  url: string;
  baseDn: string;
  adminDn: string;
  adminUpn: string;
  adminPassword: string;
  started: string;
  startMs: number;
}

/** A user a test created. */
export interface AdTestUser {
  dn: string;
  upn: string;
}

const SCRIPT = fileURLToPath(new URL('../../../tools/testenv/samba-dc.sh', import.meta.url));

function run(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      SCRIPT,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null)
          reject(new Error(`${SCRIPT} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

let lease: string | undefined;

/**
 * Start (or reuse) the DC and take a lease. Fails loudly when Samba cannot start.
 *
 * @returns its connection facts
 */
export async function startSambaDc(): Promise<SambaDc> {
  lease ??= `${process.pid}-${randomUUID().slice(0, 8)}`;
  const out = await run(['start', '--lease', lease], 660_000);
  const env = new Map(
    out
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  const get = (k: string): string => {
    const v = env.get(k);
    if (v === undefined) throw new Error(`samba-dc.sh printed no ${k}`);
    return v;
  };
  return {
    url: get('SAMBA_DC_URL'),
    baseDn: get('SAMBA_DC_BASE_DN'),
    adminDn: get('SAMBA_DC_ADMIN_DN'),
    adminUpn: get('SAMBA_DC_ADMIN_UPN'),
    adminPassword: get('SAMBA_DC_ADMIN_PASSWORD'),
    started: get('SAMBA_DC_STARTED'),
    startMs: Number(get('SAMBA_DC_START_MS')),
  };
}

/** Release this process's lease. */
export async function releaseSambaDc(): Promise<void> {
  if (lease === undefined) return;
  const id = lease;
  lease = undefined;
  await run(['release', id], 60_000);
}

async function withAdmin<T>(dc: SambaDc, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: dc.url, timeout: 10_000, connectTimeout: 10_000 });
  try {
    await client.bind(dc.adminDn, dc.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** A short unique suffix for names of one run (the DC may outlive it). */
export function uniqueSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

/**
 * Create a user under CN=Users with a UPN and extra attributes.
 *
 * @returns DN and UPN
 */
export async function createAdUser(
  dc: SambaDc,
  upn: string,
  attributes: Record<string, string | string[]> = {},
): Promise<AdTestUser> {
  const sam = `a${uniqueSuffix()}`;
  const dn = `CN=${sam},CN=Users,${dc.baseDn}`;
  await withAdmin(dc, (c) =>
    c.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: sam,
      userPrincipalName: upn,
      ...attributes,
    }),
  );
  return { dn, upn };
}

/** Delete users (missing ones are ignored). */
export async function deleteAdUsers(dc: SambaDc, users: readonly AdTestUser[]): Promise<void> {
  if (users.length === 0) return;
  await withAdmin(dc, async (c) => {
    for (const u of users) await c.del(u.dn).catch(() => undefined);
  });
}

/** Raw string values of an entry's attributes; `{}` when it does not exist. */
export async function readRaw(
  dc: SambaDc,
  dn: string,
  attributes: string[],
): Promise<Record<string, string[]>> {
  return withAdmin(dc, async (c) => {
    const { searchEntries } = await c
      .search(dn, { scope: 'base', filter: '(objectClass=*)', attributes })
      .catch((err: unknown) => {
        if (err instanceof NoSuchObjectError) return { searchEntries: [] };
        throw err;
      });
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(searchEntries[0] ?? {})) {
      if (k === 'dn') continue;
      out[k] = (Array.isArray(v) ? v : [v]).map(String);
    }
    return out;
  });
}
