/**
 * The accept path on a real PostgreSQL server (tools/testenv/postgres.sh, 127.0.0.1, fsync on as
 * shipped by initdb), next to the raw driver's conditional UPDATE in the same run:
 *
 * - `accept-path`: decrypt the stored secret (v2) + verifyTotp + `PostgresStore.acceptCode` (one
 *   named prepared `UPDATE … RETURNING` on the pool);
 * - `store-accept`: `acceptCode` alone (the store's own cost over the driver);
 * - `bare-update`: the same conditional UPDATE through a bare pg client, prepared, no RETURNING,
 *   no checks, on a second set of users in the same database.
 *
 * Every call accepts a fresh step for its user, so each UPDATE really changes a row and commits.
 *
 * @module bench
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
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

const USERS = 1000;
const STEP = 30;
const EPOCH0 = 1_700_000_010;
const ITERATIONS = 3000;
const WARMUP = 300;

/** The bare statement: the store's conditional UPDATE without RETURNING or checks. */
const BARE_UPDATE =
  'UPDATE secrets SET laststep = $1, logon = 1, lastlogon = $2, logoncount = logoncount + 1, ' +
  'failedlogoncount = 0, logonip = $3, useragent = $4 WHERE upn_key = $5 AND enabled = TRUE AND laststep < $6';

function dbUrl(admin: string, database: string): string {
  const u = new URL(admin);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminSql(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function fixture(server: LeasedServer): Promise<SuiteFixture> {
  const admin = server.get('PG_TEST_URL');
  const database = `smfa_bench_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  await adminSql(admin, `CREATE DATABASE ${database}`);
  const url = dbUrl(admin, database);
  const store = await openStore({ kind: 'postgres', connectionString: url, migrate: true });
  const cipher = createSecretCipher({
    enabled: true,
    passphrase: 'bench passphrase',
    iterations: V2_MIN_ITERATIONS,
  });
  const now = new Date(EPOCH0 * 1000);
  const enrolSet = async (prefix: string) => {
    const set: { upn: string; key: string; plain: string; stored: string }[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const upn = `${prefix}${i}@bench.test`;
      const plain = generateSecret();
      const stored = cipher.encrypt(plain);
      await store.enrol(upn, stored, now);
      set.push({ upn, key: upn.toLowerCase(), plain, stored });
    }
    return set;
  };
  const users = await enrolSet('user');
  const storeUsers = await enrolSet('store');
  const bareUsers = await enrolSet('bare');
  await cipher.warmUp(users[0]!.stored);
  const rounds = Math.ceil((ITERATIONS + WARMUP) / USERS) + 1;
  const codes = users.map((u) =>
    Array.from({ length: rounds }, (_, r) =>
      generateTotp({ secret: u.plain, epoch: EPOCH0 + r * STEP }),
    ),
  );
  const bare = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await bare.connect();
  const meta = { ip: '127.0.0.1', userAgent: 'bench' };
  let nAccept = 0;
  let nStore = 0;
  let nBare = 0;
  return {
    cases: [
      {
        id: 'accept-path',
        title: 'decrypt + verifyTotp + PostgresStore.acceptCode (one UPDATE … RETURNING)',
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
        title: 'PostgresStore.acceptCode alone',
        fn: async () => {
          const i = nStore++;
          const u = storeUsers[i % USERS]!;
          const epoch = EPOCH0 + Math.floor(i / USERS) * STEP;
          const r = await store.acceptCode(
            u.upn,
            Math.floor(epoch / STEP),
            meta,
            new Date(epoch * 1000),
            {
              allowReuse: false,
            },
          );
          if (!r.ok) throw new Error(`bench self-check: accept refused (${r.reason})`);
        },
      },
      {
        id: 'bare-update',
        title: 'bare conditional UPDATE (pg client, named prepared statement)',
        fn: async () => {
          const i = nBare++;
          const u = bareUsers[i % USERS]!;
          const epoch = EPOCH0 + Math.floor(i / USERS) * STEP;
          const step = Math.floor(epoch / STEP);
          const r = await bare.query({
            name: 'bench_bare_accept',
            text: BARE_UPDATE,
            values: [step, new Date(epoch * 1000), '127.0.0.1', 'bench', u.key, step],
          });
          if (r.rowCount !== 1) throw new Error('bench self-check: bare UPDATE changed no row');
        },
      },
    ],
    teardown: async () => {
      await bare.end().catch(() => undefined);
      await store.close();
      await adminSql(admin, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(
        () => undefined,
      );
      await server.release();
    },
  };
}

export const acceptPostgresSuite: BenchSuite = {
  id: 'accept-postgres',
  title: `accept path on PostgreSQL (127.0.0.1, pooled pg, fsync on): decrypt + verify + acceptCode vs the bare conditional UPDATE, ${USERS} users`,
  iterations: ITERATIONS,
  maxMs: 20_000,
  warmup: WARMUP,
  async setup() {
    const server = await leaseServer('postgres.sh', 240_000);
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
      title:
        'accept path ÷ bare conditional UPDATE (ops/s), PostgreSQL (decrypt + verify share the 2 cores with the server)',
      numerator: 'accept-path',
      denominator: 'bare-update',
      target: 0.8,
    },
    {
      id: 'store-vs-bare',
      title: 'PostgresStore.acceptCode ÷ bare conditional UPDATE (ops/s): the store’s own overhead',
      numerator: 'store-accept',
      denominator: 'bare-update',
      target: 0.8,
    },
  ],
};
