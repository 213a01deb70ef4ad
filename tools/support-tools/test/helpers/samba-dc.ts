/**
 * Test helper: the real Samba AD DC of tools/testenv/samba-dc.sh (leases, so test files of every
 * package share one DC), and an OU of our own per test file, so listings see only our users.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Attribute, Change, Client } from 'ldapts';

/** Connection facts of the running DC. */
export interface SambaDc {
  url: string;
  baseDn: string;
  adminDn: string;
  adminPassword: string;
  started: string;
  startMs: number;
}

const SCRIPT = fileURLToPath(new URL('../../../testenv/samba-dc.sh', import.meta.url));

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

/** Start (or reuse) the DC and take a lease. */
export async function startSambaDc(): Promise<SambaDc> {
  lease ??= `${process.pid}-tools${randomUUID().slice(0, 8)}`;
  const out = await run(['start', '--lease', lease], 660_000);
  const env = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  const get = (k: string): string => {
    const v = env.get(k);
    if (v === undefined) throw new Error(`samba-dc.sh printed no ${k}`);
    return v;
  };
  return {
    url: get('SAMBA_DC_URL'),
    baseDn: get('SAMBA_DC_BASE_DN'),
    adminDn: get('SAMBA_DC_ADMIN_DN'),
    adminPassword: get('SAMBA_DC_ADMIN_PASSWORD'),
    started: get('SAMBA_DC_STARTED'),
    startMs: Number(get('SAMBA_DC_START_MS')),
  };
}

/** Release the lease (the DC stops when the last holder leaves). */
export async function releaseSambaDc(): Promise<void> {
  if (lease === undefined) return;
  const id = lease;
  lease = undefined;
  await run(['release', id], 60_000);
}

/** Run `work` with a bound admin client. */
export async function asAdmin<T>(dc: SambaDc, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: dc.url, timeout: 15_000, connectTimeout: 10_000 });
  try {
    await client.bind(dc.adminDn, dc.adminPassword);
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** A short unique tag. */
export function tag(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

/** Create an OU directly under the domain; returns its DN. */
export async function createOu(dc: SambaDc, name: string): Promise<string> {
  const dn = `OU=${name},${dc.baseDn}`;
  await asAdmin(dc, (c) => c.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name }));
  return dn;
}

/** Delete an OU and everything under it. */
export async function deleteOu(dc: SambaDc, dn: string): Promise<void> {
  await asAdmin(dc, async (c) => {
    const { searchEntries } = await c.search(dn, {
      scope: 'sub',
      filter: '(objectClass=*)',
      attributes: ['1.1'],
    });
    // Deepest first.
    const dns = searchEntries.map((e) => e.dn).sort((a, b) => b.length - a.length);
    for (const d of dns) await c.del(d).catch(() => undefined);
  });
}

/** Create a user object in `ouDn` with this UPN (optionally with a password, enabled). */
export async function createAdUser(
  dc: SambaDc,
  ouDn: string,
  upn: string,
  password?: string,
): Promise<string> {
  const sam = `t${tag()}`;
  const dn = `CN=${sam},${ouDn}`;
  await asAdmin(dc, async (c) => {
    await c.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: sam,
      userPrincipalName: upn,
    });
    if (password !== undefined) {
      await c.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({
            type: 'unicodePwd',
            values: [Buffer.from(`"${password}"`, 'utf16le')],
          }),
        }),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userAccountControl', values: ['512'] }),
        }),
      ]);
    }
  });
  return dn;
}
