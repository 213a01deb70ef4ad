/**
 * Does the SQLite accept path stay flat as the store grows? `acceptCode` on a database of 1,000
 * users next to one of 1,000,000 users, in the same run (target: 1M ÷ 1k ≥ 0.9, for the store as
 * shipped: synchronous FULL).
 *
 * The 1M-user file is built quickly and in bounded time: the schema by the store's own migration,
 * then the rows with one prepared INSERT in ONE transaction (synchronous OFF while loading; the
 * stores then open it as shipped). Each operation accepts a fresh step (one global counter, so
 * every step is after any user's laststep) for a user drawn from the whole population with a
 * fixed pseudo-random sequence, so lookups land all over the B-tree rather than in a hot page.
 *
 * Three pairs: the store as shipped (synchronous FULL: one fsync per accept, which is most of its
 * cost), the store with synchronous NORMAL (no fsync: what is left is the lookup and update), and
 * the bare prepared UPDATE with NORMAL — SQLite's own cost of a random row update in a 170 MB
 * file against a 100 KB one (deeper B-trees, page-cache misses, checkpoints writing scattered
 * pages), the floor under the store's NORMAL ratio. The target applies to the shipped pair.
 *
 * @module bench
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '@securemfa/core';
import type { BenchFigure, BenchSuite } from '../types.js';

const SMALL = 1_000;
const LARGE = 1_000_000;
/** Give up building the large file after this long (a slow disk must not hang the bench). */
const BUILD_LIMIT_MS = 180_000;
const SECRET = 'v2$600000$c2FsdHNhbHRzYWx0c2FsdA$bench-secret-bench-secret-bench-secret';

/** The store's conditional UPDATE without RETURNING or checks. */
const BARE_UPDATE =
  'UPDATE secrets SET laststep = ?, logon = 1, lastlogon = ?, logoncount = logoncount + 1, ' +
  'failedlogoncount = 0, logonip = ?, useragent = ? WHERE upn_key = ? AND enabled = 1 AND laststep < ?';

const upnOf = (i: number): string => `u${String(i).padStart(7, '0')}@bench.test`;

/** Create the schema through the store, then load `users` rows in one transaction. */
async function build(path: string, users: number): Promise<number> {
  await (await openStore({ kind: 'sqlite', path, migrate: true })).close();
  const started = Date.now();
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      'INSERT INTO secrets (upn_key, upn, secret, enabled, logon, logoncount, failedlogoncount, laststep, created) ' +
        'VALUES (?, ?, ?, 1, 0, 0, 0, -1, ?)',
    );
    const created = Date.UTC(2026, 0, 1);
    db.transaction(() => {
      for (let i = 0; i < users; i += 1) {
        if ((i & 0xffff) === 0 && Date.now() - started > BUILD_LIMIT_MS) {
          throw new Error(`building the ${users}-user database took over ${BUILD_LIMIT_MS} ms`);
        }
        const upn = upnOf(i);
        insert.run(upn, upn, SECRET, created);
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return Date.now() - started;
}

/** A fixed pseudo-random sequence (LCG) of user indexes below `n`. */
function picker(n: number, seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x % n;
  };
}

export const acceptScaleSuite: BenchSuite = {
  id: 'accept-1m-users',
  title: `SQLite acceptCode with ${SMALL.toLocaleString('en')} vs ${LARGE.toLocaleString('en')} users: the cost stays flat`,
  iterations: 10_000,
  maxMs: 12_000,
  warmup: 1_000,
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'securemfa-bench-scale-'));
    try {
      // One file per case: connections on one file invalidate each other's page cache at every
      // write, which would blur what each case measures. The copies are byte-identical.
      const small = join(dir, 'small.db');
      const large = join(dir, 'large.db');
      const smallMs = await build(small, SMALL);
      const largeMs = await build(large, LARGE);
      const copy = (from: string, name: string): string => {
        const to = join(dir, name);
        copyFileSync(from, to);
        return to;
      };
      const files = {
        smallNormal: copy(small, 'small-normal.db'),
        largeNormal: copy(large, 'large-normal.db'),
        smallBare: copy(small, 'small-bare.db'),
        largeBare: copy(large, 'large-bare.db'),
      };
      const stores = {
        smallFull: await openStore({ kind: 'sqlite', path: small }),
        largeFull: await openStore({ kind: 'sqlite', path: large }),
        smallNormal: await openStore({
          kind: 'sqlite',
          path: files.smallNormal,
          synchronous: 'NORMAL',
        }),
        largeNormal: await openStore({
          kind: 'sqlite',
          path: files.largeNormal,
          synchronous: 'NORMAL',
        }),
      };
      if ((await stores.largeFull.count()) !== LARGE) throw new Error('bench self-check: count');
      const meta = { ip: '127.0.0.1', userAgent: 'bench' };
      const now = new Date(Date.UTC(2026, 0, 2));
      // Steps only grow: every step is after any laststep a file holds.
      let step = 1_000;
      const accept = (store: typeof stores.smallFull, file: 'small' | 'large', seed: number) => {
        const users = file === 'small' ? SMALL : LARGE;
        const pick = picker(users, seed);
        return async () => {
          const r = await store.acceptCode(upnOf(pick()), (step += 1), meta, now, {
            allowReuse: false,
          });
          if (!r.ok) throw new Error(`bench self-check: accept refused (${r.reason})`);
        };
      };
      const bareDbs = {
        small: new Database(files.smallBare),
        large: new Database(files.largeBare),
      };
      const bare = (file: 'small' | 'large', seed: number) => {
        const db = bareDbs[file];
        db.pragma('busy_timeout = 5000');
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        const update = db.prepare(BARE_UPDATE);
        const pick = picker(file === 'small' ? SMALL : LARGE, seed);
        return () => {
          const s = (step += 1);
          const r = update.run(s, now.getTime(), '127.0.0.1', 'bench', upnOf(pick()), s);
          if (r.changes !== 1) throw new Error('bench self-check: bare UPDATE changed no row');
        };
      };
      const figures: BenchFigure[] = [
        {
          id: 'build-1m',
          title: `time to build the ${LARGE.toLocaleString('en')}-user database (one transaction, prepared INSERT)`,
          value: largeMs,
          unit: 'ms',
          target: { op: '<=', value: BUILD_LIMIT_MS },
        },
        {
          id: 'build-1k',
          title: `time to build the ${SMALL.toLocaleString('en')}-user database`,
          value: smallMs,
          unit: 'ms',
        },
      ];
      return {
        cases: [
          {
            id: 'accept-1k',
            title: `acceptCode, ${SMALL.toLocaleString('en')} users, synchronous FULL (as shipped)`,
            fn: accept(stores.smallFull, 'small', 7),
          },
          {
            id: 'accept-1m',
            title: `acceptCode, ${LARGE.toLocaleString('en')} users, synchronous FULL (as shipped)`,
            fn: accept(stores.largeFull, 'large', 7),
          },
          {
            id: 'accept-1k-normal',
            title: `acceptCode, ${SMALL.toLocaleString('en')} users, synchronous NORMAL`,
            fn: accept(stores.smallNormal, 'small', 11),
          },
          {
            id: 'accept-1m-normal',
            title: `acceptCode, ${LARGE.toLocaleString('en')} users, synchronous NORMAL`,
            fn: accept(stores.largeNormal, 'large', 11),
          },
          {
            id: 'bare-1k-normal',
            title: `bare prepared UPDATE, ${SMALL.toLocaleString('en')} users, synchronous NORMAL`,
            fn: bare('small', 13),
          },
          {
            id: 'bare-1m-normal',
            title: `bare prepared UPDATE, ${LARGE.toLocaleString('en')} users, synchronous NORMAL`,
            fn: bare('large', 13),
          },
        ],
        figures: () => figures,
        teardown: async () => {
          for (const db of Object.values(bareDbs)) db.close();
          for (const store of Object.values(stores)) await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  },
  ratios: [
    {
      id: 'flat',
      title: `acceptCode with ${LARGE.toLocaleString('en')} users ÷ with ${SMALL.toLocaleString('en')} users (ops/s), synchronous FULL (as shipped)`,
      numerator: 'accept-1m',
      denominator: 'accept-1k',
      target: 0.9,
    },
    {
      id: 'flat-normal',
      title: 'the same, synchronous NORMAL (no fsync: the lookup and update cost alone)',
      numerator: 'accept-1m-normal',
      denominator: 'accept-1k-normal',
    },
    {
      id: 'bare-flat-normal',
      title: 'bare prepared UPDATE, 1M ÷ 1k users, synchronous NORMAL (SQLite itself)',
      numerator: 'bare-1m-normal',
      denominator: 'bare-1k-normal',
    },
  ],
};
