/**
 * The accept path in AD mode on the real Samba AD DC (tools/testenv/samba-dc.sh, 127.0.0.1, with
 * the project's schema extension), next to the raw driver's conditional update in the same run:
 *
 * - `accept-path`: decrypt (v2) + verifyTotp + the AD store's `acceptCode`: find the user by
 *   userPrincipalName (an escaped equality filter) and ONE modify that deletes the values it read
 *   and adds the new ones (the optimistic compare-and-swap);
 * - `store-accept`: `acceptCode` alone;
 * - `bare-modify`: that compare-and-swap modify through a bare ldapts client on a DN it already
 *   knows, with the old values it already knows (no search) — the least work an LDAP accept can
 *   be.
 *
 * On Samba the modify dominates (its commit is about 3 ms here); the store's search by UPN adds
 * a few tenths of a millisecond, which is most of the gap to the bare case. Users are AD user
 * objects created here and deleted in teardown.
 *
 * @module bench
 */
import { randomUUID } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import {
  createSecretCipher,
  generateSecret,
  generateTotp,
  openStore,
  verifyTotp,
  V2_MIN_ITERATIONS,
} from '@securemfa/core';
import type { BenchSuite, SuiteFixture } from '../types.js';
import { leaseServer, type LeasedServer } from './store-servers.js';

const USERS = 200;
const STEP = 30;
const EPOCH0 = 1_700_000_010;
const ITERATIONS = 1500;
const WARMUP = 150;

/** AD FILETIME (100-ns intervals since 1601) of a Date, as the store writes it. */
const filetime = (d: Date): string =>
  ((BigInt(d.getTime()) + 11_644_473_600_000n) * 10_000n).toString();

const change = (operation: 'add' | 'delete' | 'replace', type: string, values: string[]): Change =>
  new Change({ operation, modification: new Attribute({ type, values }) });

async function fixture(server: LeasedServer): Promise<SuiteFixture> {
  const url = server.get('SAMBA_DC_URL');
  const baseDn = server.get('SAMBA_DC_BASE_DN');
  const adminDn = server.get('SAMBA_DC_ADMIN_DN');
  const password = server.get('SAMBA_DC_ADMIN_PASSWORD');
  const admin = new Client({ url, timeout: 10_000, connectTimeout: 10_000 });
  await admin.bind(adminDn, password);
  const tag = randomUUID().replace(/-/g, '').slice(0, 8);
  const dns: string[] = [];
  const createUsers = async (prefix: string) => {
    const out: { upn: string; dn: string }[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const sam = `b${tag}${prefix}${i}`;
      const dn = `CN=${sam},CN=Users,${baseDn}`;
      const upn = `${prefix}${i}.${tag}@adatum.labnet`;
      await admin.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: sam,
        userPrincipalName: upn,
      });
      dns.push(dn);
      out.push({ upn, dn });
    }
    return out;
  };
  const cleanup = async (): Promise<void> => {
    for (const dn of dns) await admin.del(dn).catch(() => undefined);
    await admin.unbind().catch(() => undefined);
  };
  try {
    const cipher = createSecretCipher({
      enabled: true,
      passphrase: 'bench passphrase',
      iterations: V2_MIN_ITERATIONS,
    });
    const store = await openStore({
      kind: 'ad',
      url,
      baseDn,
      bindDn: adminDn,
      bindPassword: password,
      timeoutMs: 10_000,
    });
    const now = new Date(EPOCH0 * 1000);
    const enrolSet = async (prefix: string) => {
      const set: { upn: string; dn: string; plain: string; stored: string }[] = [];
      for (const u of await createUsers(prefix)) {
        const plain = generateSecret();
        const stored = cipher.encrypt(plain);
        await store.enrol(u.upn, stored, now);
        set.push({ ...u, plain, stored });
      }
      return set;
    };
    const users = await enrolSet('a');
    const storeUsers = await enrolSet('s');
    const bareUsers = await enrolSet('r');
    await cipher.warmUp(users[0]!.stored);
    const rounds = Math.ceil((ITERATIONS + WARMUP) / USERS) + 1;
    const codes = users.map((u) =>
      Array.from({ length: rounds }, (_, r) =>
        generateTotp({ secret: u.plain, epoch: EPOCH0 + r * STEP }),
      ),
    );
    // The bare side knows each user's current laststep and logoncount (it is the only writer).
    const bareState = bareUsers.map(() => ({ laststep: '-1', logoncount: '0' }));
    const bare = new Client({ url, timeout: 10_000, connectTimeout: 10_000 });
    await bare.bind(adminDn, password);
    const meta = { ip: '127.0.0.1', userAgent: 'bench' };
    let nAccept = 0;
    let nStore = 0;
    let nBare = 0;
    return {
      cases: [
        {
          id: 'accept-path',
          title: 'decrypt + verifyTotp + AD store acceptCode (search by UPN + one CAS modify)',
          fn: async () => {
            const i = nAccept++;
            const u = users[i % USERS]!;
            const round = Math.floor(i / USERS);
            const epoch = EPOCH0 + round * STEP;
            const verdict = verifyTotp({
              secret: cipher.decrypt(u.stored),
              token: codes[i % USERS]![round]!,
              epoch,
              afterStep: -1,
            });
            if (!verdict.valid) throw new Error(`bench self-check: code for ${u.upn} not valid`);
            const r = await store.acceptCode(u.upn, verdict.step, meta, new Date(epoch * 1000), {
              allowReuse: false,
            });
            if (!r.ok) throw new Error(`bench self-check: accept refused (${r.reason})`);
          },
        },
        {
          id: 'store-accept',
          title: 'AD store acceptCode alone',
          fn: async () => {
            const i = nStore++;
            const u = storeUsers[i % USERS]!;
            const epoch = EPOCH0 + Math.floor(i / USERS) * STEP;
            const r = await store.acceptCode(
              u.upn,
              Math.floor(epoch / STEP),
              meta,
              new Date(epoch * 1000),
              { allowReuse: false },
            );
            if (!r.ok) throw new Error(`bench self-check: accept refused (${r.reason})`);
          },
        },
        {
          id: 'bare-modify',
          title: 'bare ldapts CAS modify on a known DN (delete old + add new laststep/logoncount)',
          fn: async () => {
            const i = nBare++;
            const k = i % USERS;
            const u = bareUsers[k]!;
            const state = bareState[k]!;
            const epoch = EPOCH0 + Math.floor(i / USERS) * STEP;
            const step = String(Math.floor(epoch / STEP));
            const count = String(Number(state.logoncount) + 1);
            await bare.modify(u.dn, [
              change('delete', 'sMFA-OTP-laststep', [state.laststep]),
              change('add', 'sMFA-OTP-laststep', [step]),
              change('delete', 'sMFA-OTP-logoncount', [state.logoncount]),
              change('add', 'sMFA-OTP-logoncount', [count]),
              change('replace', 'sMFA-OTP-lastlogon', [filetime(new Date(epoch * 1000))]),
              change('replace', 'sMFA-OTP-logon', ['1']),
              change('replace', 'sMFA-OTP-logonip', ['127.0.0.1']),
              change('replace', 'sMFA-OTP-useragent', ['bench']),
            ]);
            state.laststep = step;
            state.logoncount = count;
          },
        },
      ],
      teardown: async () => {
        await bare.unbind().catch(() => undefined);
        await store.close();
        await cleanup();
        await server.release();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

export const acceptAdSuite: BenchSuite = {
  id: 'accept-ad',
  title: `accept path in AD mode (Samba AD DC on 127.0.0.1): decrypt + verify + acceptCode vs the bare CAS modify, ${USERS} users`,
  iterations: ITERATIONS,
  maxMs: 15_000,
  warmup: WARMUP,
  async setup() {
    const server = await leaseServer('samba-dc.sh', 660_000);
    try {
      return await fixture(server);
    } catch (err) {
      await server.release().catch(() => undefined);
      throw err;
    }
  },
  ratios: [
    {
      id: 'accept-vs-bare',
      title: 'AD accept path ÷ bare CAS modify (ops/s); the store also searches the user by UPN',
      numerator: 'accept-path',
      denominator: 'bare-modify',
    },
    {
      id: 'store-vs-bare',
      title: 'AD store acceptCode ÷ bare CAS modify (ops/s)',
      numerator: 'store-accept',
      denominator: 'bare-modify',
    },
  ],
};
