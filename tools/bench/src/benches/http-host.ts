/**
 * The http bench's provider host, built in-process the way `serve` builds one for the QR
 * provider (core runtime/provider-runtime.ts + http/runtime-host.ts): a v2-encrypting secret
 * cipher with the shipped iteration count, the TOTP engine and context sealer with their
 * defaults, the i18n presenter, a SQLite store file opened with the shipped options (WAL,
 * synchronous FULL), an app channel, and `createProviderHost` with the shipped defaults
 * (process metrics on) — only the rate limits are off, since one client address sends all the
 * load, and the logger writes nowhere (its records are still built and redacted).
 *
 * Every user is enrolled, has signed in once ten minutes ago (logon = 1) and has begun a new
 * sign-in through `adapter.begin` (status `enter_code`), whose sealed context the client sends.
 *
 * @module bench
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  CONTEXT_TTL_SECONDS,
  createAdapter,
  createContextSealer,
  createPresenter,
  createSecretCipher,
  createSilentLogger,
  createStoreDirectory,
  createTotpEngine,
  generateSecret,
  negotiateLanguage,
  openStore,
  providerMetadata,
  type AppChannel,
} from '@securemfa/core';
import { createProviderHost } from '@securemfa/core/http';
import type { LoadUser } from '../load/http-load.js';

/** A listening provider host and the users it knows. */
export interface ProviderHostFixture {
  port: number;
  /** The adapter API key (bearer token). */
  apiKey: string;
  users: LoadUser[];
  close(): Promise<void>;
}

/** Options of {@link startProviderHost}. */
export interface ProviderHostFixtureOptions {
  /** Folder for the SQLite file. */
  dir: string;
  /** Users to enrol. */
  users: number;
  /** SQLite `synchronous` of the host's store (default: the store's default, FULL). */
  synchronous?: 'FULL' | 'NORMAL';
}

/** The QR provider's channel, minus the QR: nothing is sent, the user's app makes the code. */
const appChannel: AppChannel = {
  mode: 'app',
  name: 'authenticator',
  enrolment: async () => ({ title: 'Sign in', message: 'Scan the code with your app.' }),
};

/**
 * Enrol the users, build the host and listen on 127.0.0.1, port 0.
 *
 * @param options - folder and user count
 * @returns the host's port, key and users
 * @throws {Error} when a user's first sign-in or `begin` does not go as set up (self-check)
 */
export async function startProviderHost(
  options: ProviderHostFixtureOptions,
): Promise<ProviderHostFixture> {
  const path = join(options.dir, 'securemfa.db');
  const cipher = createSecretCipher({ enabled: true, passphrase: randomBytes(24).toString('hex') });
  const totp = createTotpEngine();
  const past = new Date(Date.now() - 10 * 60_000);
  const pastStep = Math.floor(past.getTime() / 1000 / totp.step);

  // Enrolment and the first sign-ins through a synchronous-NORMAL connection: set-up, not measured.
  const setupStore = await openStore({
    kind: 'sqlite',
    path,
    migrate: true,
    synchronous: 'NORMAL',
  });
  const users: { upn: string; secret: string }[] = [];
  try {
    for (let i = 0; i < options.users; i += 1) {
      const upn = `user${i}@bench.test`;
      const secret = generateSecret();
      await setupStore.enrol(upn, cipher.encrypt(secret), past);
      const first = await setupStore.acceptCode(upn, pastStep, { ip: '192.0.2.1' }, past, {
        allowReuse: false,
      });
      if (!first.ok) throw new Error(`bench self-check: first sign-in of ${upn}: ${first.reason}`);
      users.push({ upn, secret });
    }
  } finally {
    await setupStore.close();
  }

  // From here on, as shipped (unless `synchronous` says otherwise).
  const store = await openStore({
    kind: 'sqlite',
    path,
    migrate: true,
    ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
  });
  const logger = createSilentLogger();
  const apiKey = randomBytes(32).toString('base64url');
  const adapter = createAdapter({
    store,
    channel: appChannel,
    totp,
    codec: cipher,
    sealer: createContextSealer({
      secret: randomBytes(32).toString('base64url'),
      audience: 'qr-otp',
      ttlSeconds: CONTEXT_TTL_SECONDS,
    }),
    presenter: createPresenter(),
    metadata: providerMetadata('qr-otp'),
    lockout: { maxFailures: 5, lockoutMinutes: 15 },
    allowReuse: false,
    logger,
    directory: createStoreDirectory(store),
  });
  const app = await createProviderHost({
    adapter,
    store,
    logger,
    apiKey,
    negotiate: (explicit, acceptLanguage) => negotiateLanguage(acceptLanguage, explicit),
    limits: { perIpPerMinute: 0, perUserPerMinute: 0 },
  });
  try {
    const loadUsers: LoadUser[] = [];
    for (const u of users) {
      const begun = await adapter.begin(u.upn, { ip: '192.0.2.1', lang: 'en' });
      if (begun.status !== 'enter_code') {
        throw new Error(`bench self-check: begin for ${u.upn} said ${begun.status}`);
      }
      loadUsers.push({ secret: u.secret, context: begun.context });
    }
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('host has no address');
    return {
      port: address.port,
      apiKey,
      users: loadUsers,
      close: async () => {
        await app.close();
        await store.close();
        await logger.close();
      },
    };
  } catch (err) {
    await app.close();
    await store.close();
    throw err;
  }
}
