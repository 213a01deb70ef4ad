/**
 * The AD store (`auth_mode: AD`): OTP records kept in `sMFA-OTP-*` attributes of existing
 * Active Directory user objects, over LDAP (ldapts), as the originals do (seed 000 "Enable OTP
 * Data Store in Microsoft Active Directory Attributes").
 *
 * Farm correctness without transactions — optimistic concurrency on single-valued attributes:
 * `acceptCode` and `recordFailure` are each ONE modify that deletes the value it read and adds the
 * new one (`laststep`, `logoncount`, `failedlogoncount`, `failedlastlogon`, and an unchanged
 * `enabled`), together with the plain replaces. AD applies a modify atomically; when another node
 * changed one of those values first, the delete names a value that is gone and the whole modify
 * fails with noSuchAttribute (16) — nothing is written. The loser re-reads: an accept then
 * classifies (usually `reused`), a failure retries (bounded), so N concurrent failures count N.
 * The compared values must exist, so enrolment writes all of them (`laststep` -1, counters 0,
 * `failedlastlogon` 0 = never, `enabled` TRUE); a record written by another tool that lacks one
 * is first completed with an LDAP `add` of the default, which a concurrent completion makes fail
 * harmlessly (attributeOrValueExists, 20). `increment` (RFC 4525) is not used: AD rejects it.
 *
 * `restore` (support's import, migrations from a SQL store) writes every `sMFA-OTP-*` attribute
 * in ONE modify of the existing user object: a new record ADDS the secret (single-valued, so a
 * record another node created meanwhile makes the modify fail — read again, then `exists` or a
 * replace), a replace swaps the secret and laststep it read (the reuse guard never goes back for
 * the same secret) and replaces the rest. A UPN without an AD user is ERR_STORE_NOT_FOUND:
 * the store never creates directory objects.
 *
 * `list` pages in lower-cased UPN order (as the SQL stores) from a key index of the enrolled
 * users (ad-list-index.ts): built by one scan of `userPrincipalName` + `objectGUID`, kept current
 * with the entries whose `uSNChanged` passed the DC's `highestCommittedUSN` since the last call,
 * and each page reads only its own records (by objectGUID). A full listing therefore reads each
 * user a bounded number of times, not once per page; `onSearchEntries` lets a caller count it.
 *
 * Other data (AD has no natural place for it) lives under a container, by default
 * `CN=SecureMFA,CN=Program Data,<domain>`, in `msDS-App-Configuration` objects (the class AD
 * provides for application data; no schema extension needed for them):
 * - `CN=Nonces`: one child per remembered nonce, named by the SHA-256 of the nonce; LDAP add of an
 *   existing name fails with entryAlreadyExists (68), a natural atomic test-and-set. The exact
 *   expiry (ms) is in `msDS-Settings`, the expiry second in `msDS-DateTime` for sweeping; expired
 *   children are replaced on reuse and swept now and then;
 * - `CN=Providers`: one child per provider registration (`CN=<provider>`), the registration as
 *   JSON in `msDS-Settings`.
 * The containers are created by `applyAdSchema` (install) or, failing that, on first use.
 *
 * Secrets: AD mode stores only encrypted secrets (seed 000: "AD mode doesn't support unencrypted
 * secrets"). `enrol` and `replaceSecret` throw a TypeError for a value that looks like a plain
 * base32 secret, unless the store is opened with `allowPlainSecrets` (tests only).
 * `sMFA-OTP-secret` is a confidential attribute (searchFlags 0x80): only accounts with the
 * control-access right (Domain Admins, or a service account granted it) can read it; an account
 * that cannot read it gets ERR_STORE_UNAVAILABLE with a hint (never "not enrolled", which would
 * re-enrol the user).
 *
 * @see RFC 4511 §4.6 (modify: all changes applied atomically, or none)
 * @see RFC 4515 (filters: the UPN is escaped, see ad-filter.ts)
 * @module store
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Attribute, Change } from 'ldapts';
import { StoreError } from '../errors.js';
import {
  AD_ATTRIBUTE_NAMES,
  AD_ATTRIBUTES,
  AD_CAS_FIELDS,
  casDefaults,
  firstValue,
  fromAdInteger,
  toAdBoolean,
  toFiletime,
  valuesToRecord,
  type AdField,
  type AdValues,
} from './ad-attributes.js';
import {
  createLdapPool,
  type AdConnectionOptions,
  type LdapPool,
  type LdapSession,
} from './ad-connection.js';
import { LDAP_RESULT, ldapResultCode, toStoreError } from './ad-errors.js';
import {
  andFilter,
  equalityFilter,
  escapeDnValue,
  objectGuidFilter,
  prefixFilter,
  presenceFilter,
} from './ad-filter.js';
import {
  AdKeyIndex,
  AdKeyIndexes,
  type DirectoryWatermark,
  type IndexedUser,
} from './ad-list-index.js';
import { defaultDataDn, readAdSchemaStatus } from './ad-schema.js';
import type { InspectableStore, StoreInspection } from './store-inspection.js';
import { checkRestoreOptions, checkRestoreRecord, guardedLaststep } from './restore-record.js';
import { storeError } from './store-problem.js';
import {
  sanitiseFailedCode,
  sanitiseMeta,
  upnKey,
  type AcceptCodeOptions,
  type AcceptResult,
  type ListUsersOptions,
  type LogonMeta,
  type ProviderRegistration,
  type RecordFailureOptions,
  type RestoreOptions,
  type RestoreOutcome,
  type UserProfile,
  type UserRecord,
  type UserStore,
} from './user-store.js';

/** Options of {@link openAdStore}: the `ldap_*` connection settings plus AD-store specifics. */
export interface AdStoreOptions extends AdConnectionOptions {
  /**
   * Container of nonces and provider registrations (default
   * `CN=SecureMFA,CN=Program Data,<the DC= components of baseDn>`).
   */
  dataDn?: string | undefined;
  /** Accept plain base32 secrets. Tests only: AD mode stores encrypted secrets. Default false. */
  allowPlainSecrets?: boolean | undefined;
  /** Attempts of an optimistic update before giving up with ERR_STORE_CONFLICT (default 32). */
  maxAttempts?: number | undefined;
  /**
   * Called after every LDAP search the store makes, with the number of entries it returned: for
   * metrics, and for tests that check how much an operation reads (a full listing reads each
   * enrolled user a bounded number of times). Exceptions it throws are ignored.
   */
  onSearchEntries?: ((entries: number) => void) | undefined;
}

/** Default attempts of an optimistic update. */
export const DEFAULT_MAX_ATTEMPTS = 32;
/** Longest random wait between two attempts of an optimistic update. */
const BACKOFF_CAP_MS = 250;
const DEFAULT_PAGE = 500;
const MAX_PAGE = 10_000;
const LDAP_PAGE = 500;
/** objectGUIDs per search when reading a page of records. */
const READ_CHUNK = 100;
/** Listing indexes kept (one per prefix), how long unused, and how long at most. */
const INDEX_MAX = 4;
const INDEX_IDLE_MS = 10 * 60_000;
const INDEX_MAX_AGE_MS = 60 * 60_000;
const NONCE_SWEEP_EVERY = 64;
const NONCE_SWEEP_MAX = 200;
/** What the secret cipher writes when encryption is off (plain base32). */
const PLAIN_SECRET = /^[A-Z2-7]{16,128}=*$/;
const USER_ATTRIBUTES = ['userPrincipalName', ...AD_ATTRIBUTE_NAMES];
/** An optimistic update lost a race: read again and retry. */
const RETRY = Symbol('retry');

/** A user entry as read. */
interface Found {
  dn: string;
  upn: string;
  values: AdValues;
  record: UserRecord | undefined;
}

const name = (field: AdField): string => AD_ATTRIBUTES[field].name;

const replace = (field: AdField, values: string[]): Change =>
  new Change({ operation: 'replace', modification: new Attribute({ type: name(field), values }) });
const del = (field: AdField, value: string): Change =>
  new Change({
    operation: 'delete',
    modification: new Attribute({ type: name(field), values: [value] }),
  });
const add = (field: AdField, value: string): Change =>
  new Change({
    operation: 'add',
    modification: new Attribute({ type: name(field), values: [value] }),
  });
/** "Still the value I read, now this one": the compare-and-swap of one attribute. */
const swap = (field: AdField, old: string, next: string): Change[] => [
  del(field, old),
  add(field, next),
];
const optional = (value: string | null): string[] => (value === null ? [] : [value]);

/** Attribute map of an ldapts search entry: lower-cased name → string values. */
function entryValues(entry: Record<string, unknown>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, raw] of Object.entries(entry)) {
    if (key === 'dn') continue;
    const list = Array.isArray(raw) ? raw : [raw];
    map.set(
      key.toLowerCase(),
      list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))),
    );
  }
  return map;
}

/** The objectGUID of an entry read with `explicitBufferAttributes: ['objectGUID']`, as hex. */
function guidOf(entry: Record<string, unknown>): string | undefined {
  const raw = entry.objectGUID;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return Buffer.isBuffer(value) && value.length === 16 ? value.toString('hex') : undefined;
}

function checkUpn(upn: unknown): string {
  if (typeof upn !== 'string') throw new TypeError('"upn" must be a string');
  return upn.trim();
}

function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new TypeError(`"${what}" must be a valid Date`);
  return value;
}

/**
 * Open the AD store. Nothing connects until the first call (then a pool of bound connections is
 * kept); `ping()` checks reachability, the bind and the schema.
 *
 * @param options - connection settings (ldap_url, ldap_base_dn, ldap_bind_dn, ldap_bind_password,
 *   ldap_tls_ca_file, TLS server name, timeout, StartTLS) and AD-store options
 * @returns a `UserStore` with kind `ad`
 * @throws {TypeError} on malformed options
 * @throws {StoreError} ERR_STORE_UNAVAILABLE when the CA file cannot be read
 * @example
 * ```ts
 * const store = await openAdStore({
 *   url: 'ldaps://dc1.contoso.com', baseDn: 'DC=contoso,DC=com',
 *   bindDn: 'svc-mfa@contoso.com', bindPassword, tlsCaFile: '/etc/ssl/contoso-ca.pem', timeoutMs: 5000,
 * });
 * await store.ping();
 * const record = await store.get('alice@contoso.com');
 * ```
 */
export async function openAdStore(options: AdStoreOptions): Promise<UserStore> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('options must be an object');
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    throw new TypeError('"maxAttempts" must be an integer from 1 to 1000');
  }
  const dataDn =
    options.dataDn ?? defaultDataDn(typeof options.baseDn === 'string' ? options.baseDn : '');
  let pool: LdapPool;
  try {
    pool = await createLdapPool(options);
  } catch (err) {
    if (err instanceof TypeError) throw err;
    throw new StoreError(
      'ERR_STORE_UNAVAILABLE',
      `cannot read ldap_tls_ca_file ${options.tlsCaFile ?? ''}`,
      {
        hint: 'check the path of ldap_tls_ca_file (a PEM file with the CA certificate)',
        cause: err,
      },
    );
  }
  return new AdUserStore(
    pool,
    options.baseDn.trim(),
    dataDn,
    options.allowPlainSecrets === true,
    maxAttempts,
    options,
    options.onSearchEntries,
  );
}

/** The AD implementation of {@link UserStore}; construct it with {@link openAdStore}. */
class AdUserStore implements UserStore, InspectableStore {
  readonly kind = 'ad' as const;
  private closed = false;
  private schemaChecked = false;
  private noncesAdded = 0;
  private readonly indexes = new AdKeyIndexes(INDEX_MAX, INDEX_IDLE_MS, INDEX_MAX_AGE_MS);

  constructor(
    private readonly pool: LdapPool,
    private readonly baseDn: string,
    private readonly dataDn: string,
    private readonly allowPlainSecrets: boolean,
    private readonly maxAttempts: number,
    private readonly connection: AdConnectionOptions,
    private readonly onSearchEntries?: (entries: number) => void,
  ) {}

  /** The session, with searches reported to `onSearchEntries`. */
  private observed(s: LdapSession): LdapSession {
    const report = this.onSearchEntries;
    if (report === undefined) return s;
    const tell = (n: number): void => {
      try {
        report(n);
      } catch {
        // An observer cannot break the store.
      }
    };
    return {
      ...s,
      search: async (...args) => {
        const result = await s.search(...args);
        tell(result.searchEntries.length);
        return result;
      },
      searchFirstPage: async (...args) => {
        const result = await s.searchFirstPage(...args);
        tell(result.searchEntries.length);
        return result;
      },
    };
  }

  // ---- plumbing ----

  private async run<T>(
    operation: string,
    fn: (s: LdapSession) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'the ad store is closed');
    try {
      return await this.pool.use((session) => fn(this.observed(session)), signal);
    } catch (err) {
      throw toStoreError(err, { server: this.pool.server, operation });
    }
  }

  private async find(s: LdapSession, upn: string): Promise<Found | undefined> {
    if (upn === '') return undefined;
    const { searchEntries } = await s.search(this.baseDn, {
      scope: 'sub',
      filter: andFilter('(objectClass=user)', equalityFilter('userPrincipalName', upn)),
      attributes: USER_ATTRIBUTES,
    });
    if (searchEntries.length === 0) return undefined;
    if (searchEntries.length > 1) {
      throw new StoreError(
        'ERR_STORE_CONFLICT',
        `${searchEntries.length} directory users have the userPrincipalName ${upn}`,
        {
          hint: 'userPrincipalName must be unique in the forest: fix the duplicate in Active Directory',
        },
      );
    }
    const entry = searchEntries[0]!;
    const values = entryValues(entry as unknown as Record<string, unknown>);
    const actualUpn = firstValue(values, 'userPrincipalName') ?? upn;
    const record = valuesToRecord(actualUpn, values);
    if (record === undefined && firstValue(values, name('laststep')) !== undefined) {
      // Enrolment always writes the secret and laststep together, and delete clears both: a
      // laststep without a secret means the secret is there but this account may not read it
      // (it is confidential). Treating the user as not enrolled would re-enrol them.
      throw new StoreError(
        'ERR_STORE_UNAVAILABLE',
        `the bind account cannot read ${name('secret')} of ${actualUpn} (a confidential attribute)`,
        {
          hint: 'grant the bind account control access on sMFA-OTP-secret (ad-schema/README.md "Permissions")',
        },
      );
    }
    return { dn: entry.dn, upn: actualUpn, values, record };
  }

  /** Give an enrolled record the values the atomic updates compare; true when it wrote any. */
  private async completeCasValues(s: LdapSession, found: Found): Promise<boolean> {
    const defaults = casDefaults();
    const missing = AD_CAS_FIELDS.filter((f) => firstValue(found.values, name(f)) === undefined);
    if (missing.length === 0) return false;
    try {
      await s.modify(
        found.dn,
        missing.map((f) => add(f, defaults[f])),
      );
    } catch (err) {
      // Another node completed it first: fine, the caller re-reads.
      const code = ldapResultCode(err);
      if (code !== LDAP_RESULT.attributeOrValueExists && code !== LDAP_RESULT.constraintViolation)
        throw err;
    }
    return true;
  }

  private raw(found: Found, field: AdField): string {
    return (
      firstValue(found.values, name(field)) ??
      casDefaults()[field as (typeof AD_CAS_FIELDS)[number]]
    );
  }

  private async backoff(attempt: number): Promise<void> {
    // Full jitter, growing exponentially (1, 2, 4 … ms, capped at BACKOFF_CAP_MS): two nodes
    // that collided find a winner at once, and a crowd (200 failures at one user across a farm)
    // spreads over the time the DC needs to apply them one by one instead of spending its
    // attempts in the first few hundred milliseconds — a linear cap of 32 ms left the last of
    // 200 concurrent failures out of attempts now and then (ERR_STORE_CONFLICT).
    await sleep(Math.floor(Math.random() * Math.min(2 ** attempt, BACKOFF_CAP_MS)));
  }

  private conflict(what: string, upn: string): StoreError {
    return new StoreError(
      'ERR_STORE_CONFLICT',
      `${what} for ${upn}: concurrent changes kept conflicting after ${this.maxAttempts} attempts`,
      {
        hint: 'an unusual number of nodes are writing this user at once; retry',
      },
    );
  }

  private noDirectoryUser(upn: string): StoreError {
    return new StoreError(
      'ERR_STORE_NOT_FOUND',
      `no Active Directory user has the userPrincipalName ${upn} under ${this.baseDn}`,
      {
        hint: 'in AD mode the OTP record is kept on the existing user object: create the user in AD first, or check ldap_base_dn',
      },
    );
  }

  private checkSecret(secret: unknown): string {
    if (typeof secret !== 'string' || secret === '')
      throw new TypeError('"secret" must be a non-empty string');
    if (!this.allowPlainSecrets && PLAIN_SECRET.test(secret)) {
      throw new TypeError(
        'AD mode stores secrets encrypted: pass the SecretCipher.encrypt() output (data_encryption is always on in AD mode)',
      );
    }
    return secret;
  }

  // ---- records ----

  async get(upn: string, signal?: AbortSignal): Promise<UserRecord | undefined> {
    const key = checkUpn(upn);
    return this.run('read the OTP record', async (s) => (await this.find(s, key))?.record, signal);
  }

  async enrol(
    upn: string,
    secret: string,
    now: Date,
    profile: UserProfile = {},
  ): Promise<UserRecord> {
    const key = checkUpn(upn);
    if (key === '') throw new TypeError('"upn" must not be empty');
    this.checkSecret(secret);
    checkDate(now, 'now');
    return this.run('enrol', async (s) => {
      const found = await this.find(s, key);
      if (found === undefined) throw this.noDirectoryUser(key);
      const changes: Change[] = [
        replace('secret', [secret]),
        replace('logon', ['0']),
        replace('laststep', ['-1']),
        replace('failedlogoncount', ['0']),
        replace('failedlastlogon', ['0']),
        replace('failedcode', []),
      ];
      if (found.record === undefined) {
        // A new record: every field, so leftovers of an earlier record do not survive.
        changes.push(
          replace('enabled', ['TRUE']),
          replace('lastlogon', ['0']),
          replace('logoncount', ['0']),
          replace('logonip', []),
          replace('useragent', []),
          replace('email', optional(profile.email ?? null)),
          replace('mobile', optional(profile.mobile ?? null)),
          replace('created', [toFiletime(now)]),
        );
      } else {
        // Re-enrolment: keep the rest; complete what the atomic updates need.
        if (typeof profile.email === 'string') changes.push(replace('email', [profile.email]));
        if (typeof profile.mobile === 'string') changes.push(replace('mobile', [profile.mobile]));
        for (const field of ['enabled', 'logoncount'] as const) {
          if (firstValue(found.values, name(field)) === undefined)
            changes.push(replace(field, [casDefaults()[field]]));
        }
        if (firstValue(found.values, name('created')) === undefined)
          changes.push(replace('created', [toFiletime(now)]));
      }
      await s.modify(found.dn, changes);
      const after = await this.find(s, key);
      if (after?.record === undefined) {
        throw new StoreError(
          'ERR_STORE_CONFLICT',
          `the OTP record of ${key} was removed while it was being enrolled`,
        );
      }
      return after.record;
    });
  }

  async restore(record: UserRecord, options: RestoreOptions): Promise<RestoreOutcome> {
    const r = checkRestoreRecord(record);
    const { overwrite } = checkRestoreOptions(options);
    this.checkSecret(r.secret);
    // Every field but the secret and laststep (those two depend on how the write is guarded).
    const fields: Change[] = [
      replace('enabled', [toAdBoolean(r.enabled)]),
      replace('logon', [String(r.logon)]),
      replace('lastlogon', [toFiletime(r.lastlogon)]),
      replace('logoncount', [String(r.logoncount)]),
      replace('failedlogoncount', [String(r.failedlogoncount)]),
      replace('failedlastlogon', [toFiletime(r.failedlastlogon)]),
      replace('failedcode', optional(r.failedcode)),
      replace('logonip', optional(r.logonip)),
      replace('useragent', optional(r.useragent)),
      replace('email', optional(r.email)),
      replace('mobile', optional(r.mobile)),
      replace('created', [toFiletime(r.created)]),
    ];
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      const outcome = await this.run(
        'restore the OTP record',
        async (s): Promise<RestoreOutcome | typeof RETRY> => {
          const found = await this.find(s, r.upn);
          if (found === undefined) throw this.noDirectoryUser(r.upn);
          const stored = found.record;
          if (stored === undefined) {
            // A new record: the secret is ADDED, so a record another node created meanwhile
            // makes the whole modify fail (the attribute is single-valued) instead of mixing.
            try {
              await s.modify(found.dn, [
                add('secret', r.secret),
                replace('laststep', [String(r.laststep)]),
                ...fields,
              ]);
              return 'created';
            } catch (err) {
              const code = ldapResultCode(err);
              if (
                code !== LDAP_RESULT.attributeOrValueExists &&
                code !== LDAP_RESULT.constraintViolation
              )
                throw err;
              // Created meanwhile (read again), or a constraint of this write: report that.
              if ((await this.find(s, r.upn))?.record !== undefined) return RETRY;
              throw err;
            }
          }
          if (!overwrite) return 'exists';
          if (await this.completeCasValues(s, found)) return RETRY;
          // Compare-and-swap of the secret and laststep the guard was decided on: a concurrent
          // accept, re-enrolment or re-encryption makes this modify fail, and it is decided again.
          const laststep = guardedLaststep(stored, r);
          try {
            await s.modify(found.dn, [
              ...swap('secret', stored.secret, r.secret),
              ...swap('laststep', this.raw(found, 'laststep'), String(laststep)),
              ...fields,
            ]);
          } catch (err) {
            if (ldapResultCode(err) === LDAP_RESULT.noSuchAttribute) return RETRY;
            throw err;
          }
          return 'replaced';
        },
      );
      if (outcome !== RETRY) return outcome;
      await this.backoff(attempt);
    }
    throw this.conflict('restore the OTP record', r.upn);
  }

  async acceptCode(
    upn: string,
    step: number,
    meta: LogonMeta,
    now: Date,
    options: AcceptCodeOptions,
  ): Promise<AcceptResult> {
    const key = checkUpn(upn);
    if (!Number.isSafeInteger(step) || step < 0)
      throw new TypeError('"step" must be a non-negative integer');
    checkDate(now, 'now');
    const { ip, userAgent } = sanitiseMeta(meta ?? {});
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      // One connection per attempt: a loser backs off without holding a pooled connection.
      const outcome = await this.run(
        'accept a code',
        async (s): Promise<AcceptResult | typeof RETRY> => {
          const found = await this.find(s, key);
          const rec = found?.record;
          if (found === undefined || rec === undefined) return { ok: false, reason: 'not_found' };
          if (await this.completeCasValues(s, found)) return RETRY;
          if (!rec.enabled) return { ok: false, reason: 'disabled', record: rec };
          const tooOld = options.allowReuse ? step < rec.laststep : step <= rec.laststep;
          if (tooOld) return { ok: false, reason: 'reused', record: rec };
          const lock = options.lockout;
          if (
            lock !== undefined &&
            rec.failedlogoncount >= lock.maxFailures &&
            rec.failedlastlogon !== null &&
            rec.failedlastlogon.getTime() > lock.lastFailureAfter.getTime()
          ) {
            return { ok: false, reason: 'locked', record: rec };
          }
          const changes = [
            ...swap('laststep', this.raw(found, 'laststep'), String(step)),
            // Unchanged, but compared: a concurrent disable or failure makes this modify fail.
            ...swap('enabled', this.raw(found, 'enabled'), 'TRUE'),
            ...swap('failedlogoncount', this.raw(found, 'failedlogoncount'), '0'),
            ...swap('logoncount', this.raw(found, 'logoncount'), String(rec.logoncount + 1)),
            replace('logon', ['1']),
            replace('lastlogon', [toFiletime(now)]),
            replace('logonip', optional(ip)),
            replace('useragent', optional(userAgent)),
          ];
          try {
            await s.modify(found.dn, changes);
          } catch (err) {
            // Another node changed the record first: re-read and decide again.
            if (ldapResultCode(err) === LDAP_RESULT.noSuchAttribute) return RETRY;
            throw err;
          }
          return {
            ok: true,
            record: {
              ...rec,
              laststep: step,
              logon: 1,
              lastlogon: now,
              logoncount: rec.logoncount + 1,
              failedlogoncount: 0,
              logonip: ip,
              useragent: userAgent,
            },
          };
        },
      );
      if (outcome !== RETRY) return outcome;
      await this.backoff(attempt);
    }
    throw this.conflict('accept a code', key);
  }

  async recordFailure(
    upn: string,
    input: string,
    _meta: LogonMeta,
    now: Date,
    options: RecordFailureOptions = {},
  ): Promise<UserRecord | undefined> {
    const key = checkUpn(upn);
    checkDate(now, 'now');
    const failedcode = sanitiseFailedCode(String(input), options.codeDigits);
    const restartBefore = options.restartIfLastFailureBefore;
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      const outcome = await this.run(
        'record a failure',
        async (s): Promise<UserRecord | undefined | typeof RETRY> => {
          const found = await this.find(s, key);
          const rec = found?.record;
          if (found === undefined || rec === undefined) return undefined;
          if (await this.completeCasValues(s, found)) return RETRY;
          const restart =
            restartBefore !== undefined &&
            rec.failedlastlogon !== null &&
            rec.failedlastlogon.getTime() <= restartBefore.getTime();
          const count = restart ? 1 : rec.failedlogoncount + 1;
          const changes = [
            ...swap('failedlogoncount', this.raw(found, 'failedlogoncount'), String(count)),
            ...swap('failedlastlogon', this.raw(found, 'failedlastlogon'), toFiletime(now)),
            replace('failedcode', [failedcode]),
          ];
          try {
            await s.modify(found.dn, changes);
          } catch (err) {
            // Another node counted first: re-read and count on top of it.
            if (ldapResultCode(err) === LDAP_RESULT.noSuchAttribute) return RETRY;
            throw err;
          }
          return { ...rec, failedlogoncount: count, failedlastlogon: now, failedcode };
        },
      );
      if (outcome !== RETRY) return outcome;
      await this.backoff(attempt);
    }
    throw this.conflict('record a failure', key);
  }

  /** Apply `changes` to an enrolled user; false when the user has no record. */
  private async update(
    operation: string,
    upn: string,
    changes: (found: Found) => Change[],
  ): Promise<boolean> {
    const key = checkUpn(upn);
    return this.run(operation, async (s) => {
      const found = await this.find(s, key);
      if (found?.record === undefined) return false;
      const list = changes(found);
      if (list.length > 0) await s.modify(found.dn, list);
      return true;
    });
  }

  async setEnabled(upn: string, enabled: boolean): Promise<boolean> {
    if (typeof enabled !== 'boolean') throw new TypeError('"enabled" must be a boolean');
    return this.update('enable/disable', upn, () => [replace('enabled', [toAdBoolean(enabled)])]);
  }

  async resetLogon(upn: string): Promise<boolean> {
    return this.update('reset logon', upn, () => [
      replace('logon', ['0']),
      replace('laststep', ['-1']),
    ]);
  }

  async unlock(upn: string): Promise<boolean> {
    return this.update('unlock', upn, () => [
      replace('failedlogoncount', ['0']),
      replace('failedlastlogon', ['0']),
    ]);
  }

  async setProfile(upn: string, profile: UserProfile): Promise<boolean> {
    return this.update('set profile', upn, () => {
      const changes: Change[] = [];
      if (profile?.email !== undefined) changes.push(replace('email', optional(profile.email)));
      if (profile?.mobile !== undefined) changes.push(replace('mobile', optional(profile.mobile)));
      return changes;
    });
  }

  async replaceSecret(upn: string, expected: string, next: string): Promise<boolean> {
    const key = checkUpn(upn);
    if (typeof expected !== 'string' || expected === '')
      throw new TypeError('"expected" must be a non-empty string');
    this.checkSecret(next);
    return this.run('replace the secret', async (s) => {
      const found = await this.find(s, key);
      // Exact comparison here: the attribute's LDAP matching is case-insensitive.
      if (found?.record === undefined || found.record.secret !== expected) return false;
      try {
        await s.modify(found.dn, swap('secret', expected, next));
        return true;
      } catch (err) {
        if (ldapResultCode(err) === LDAP_RESULT.noSuchAttribute) return false;
        throw err;
      }
    });
  }

  async delete(upn: string): Promise<boolean> {
    // Clears the OTP attributes; the AD user object itself is never deleted.
    return this.update('delete the OTP record', upn, () =>
      AD_ATTRIBUTE_NAMES.map(
        (type) =>
          new Change({ operation: 'replace', modification: new Attribute({ type, values: [] }) }),
      ),
    );
  }

  private async enrolledEntries(
    s: LdapSession,
    prefix: string | undefined,
    attributes: string[],
  ): Promise<Found[]> {
    const parts = ['(objectClass=user)', presenceFilter(name('secret'))];
    if (prefix !== undefined && prefix !== '')
      parts.push(prefixFilter('userPrincipalName', prefix));
    const { searchEntries } = await s.search(this.baseDn, {
      scope: 'sub',
      filter: andFilter(...parts),
      attributes,
      paged: { pageSize: LDAP_PAGE },
    });
    const out: Found[] = [];
    for (const entry of searchEntries) {
      const values = entryValues(entry as unknown as Record<string, unknown>);
      const upn = firstValue(values, 'userPrincipalName');
      if (upn === undefined) continue;
      out.push({ dn: entry.dn, upn, values, record: valuesToRecord(upn, values) });
    }
    return out;
  }

  /** The enrolled-user filter of a listing: under the base DN, with the UPN prefix. */
  private enrolledFilter(prefix: string, extra: string[] = []): string {
    const parts = ['(objectClass=user)', presenceFilter(name('secret')), ...extra];
    if (prefix !== '') parts.push(prefixFilter('userPrincipalName', prefix));
    return andFilter(...parts);
  }

  /**
   * Where the connected DC stands: which DC it is and its highest committed USN (read before a
   * scan or a change query, as Microsoft's uSNChanged polling prescribes). Undefined when the
   * server publishes neither (not Active Directory): then every listing scans.
   */
  private async watermark(s: LdapSession): Promise<DirectoryWatermark | undefined> {
    const { searchEntries } = await s.search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['dsServiceName', 'highestCommittedUSN'],
    });
    const root = entryValues((searchEntries[0] ?? {}) as unknown as Record<string, unknown>);
    const service = firstValue(root, 'dsServiceName');
    const usn = firstValue(root, 'highestCommittedUSN');
    if (service === undefined || usn === undefined || !/^[0-9]+$/.test(usn)) return undefined;
    // A DC restored from a backup keeps its name but gets a new invocationId (and may reuse
    // USNs): the index must not continue across that.
    let invocation = '';
    try {
      const { searchEntries: ntds } = await s.search(service, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['invocationId'],
        explicitBufferAttributes: ['invocationId'],
      });
      const raw = (ntds[0] as Record<string, unknown> | undefined)?.invocationId;
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (Buffer.isBuffer(value)) invocation = value.toString('hex');
    } catch (err) {
      if (ldapResultCode(err) === undefined) throw err;
      // Not readable by this account: the DC's name alone identifies it.
    }
    return { dc: `${service}|${invocation}`, usn: BigInt(usn) };
  }

  /** Enrolled users (key and objectGUID only) matching `filter`, into `index`. */
  private async indexEntries(
    s: LdapSession,
    index: AdKeyIndex,
    filter: string,
    prefixKey: string,
  ): Promise<void> {
    const { searchEntries } = await s.search(this.baseDn, {
      scope: 'sub',
      filter,
      attributes: ['userPrincipalName', 'objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
      paged: { pageSize: LDAP_PAGE },
    });
    for (const entry of searchEntries) {
      const id = guidOf(entry as unknown as Record<string, unknown>);
      const upn = entry.userPrincipalName;
      const text = Array.isArray(upn) ? upn[0] : upn;
      if (id === undefined || typeof text !== 'string') continue;
      const key = upnKey(text);
      // The server's prefix match is case-insensitive its own way; the order is ours.
      if (key.startsWith(prefixKey)) index.upsert(id, key);
      else index.remove(id);
    }
  }

  /** The key index of a prefix, built or brought up to date with the changes since its last use. */
  private async currentIndex(s: LdapSession, prefix: string): Promise<AdKeyIndex> {
    const prefixKey = prefix.toLowerCase();
    const mark = await this.watermark(s);
    const now = Date.now();
    let index = mark === undefined ? undefined : this.indexes.get(prefixKey, mark.dc, now);
    if (index === undefined || mark === undefined) {
      index = new AdKeyIndex(mark ?? { dc: '', usn: 0n }, now);
      await this.indexEntries(s, index, this.enrolledFilter(prefix), prefixKey);
      if (mark !== undefined) this.indexes.set(prefixKey, index);
      return index;
    }
    if (mark.usn > index.watermark.usn) {
      const changed = `(uSNChanged>=${(index.watermark.usn + 1n).toString()})`;
      await this.indexEntries(s, index, this.enrolledFilter(prefix, [changed]), prefixKey);
      index.watermark = mark;
    }
    return index;
  }

  /** The records of indexed users, read by objectGUID (exact, whatever the UPN's case). */
  private async readIndexed(
    s: LdapSession,
    users: readonly IndexedUser[],
  ): Promise<Map<string, Found>> {
    const out = new Map<string, Found>();
    for (let i = 0; i < users.length; i += READ_CHUNK) {
      const chunk = users.slice(i, i + READ_CHUNK);
      const { searchEntries } = await s.search(this.baseDn, {
        scope: 'sub',
        filter: objectGuidFilter(
          this.enrolledFilter(''),
          chunk.map((u) => Buffer.from(u.id, 'hex')),
        ),
        attributes: [...USER_ATTRIBUTES, 'objectGUID'],
        explicitBufferAttributes: ['objectGUID'],
      });
      for (const entry of searchEntries) {
        const raw = entry as unknown as Record<string, unknown>;
        const id = guidOf(raw);
        if (id === undefined) continue;
        const values = entryValues(raw);
        const upn = firstValue(values, 'userPrincipalName');
        if (upn === undefined) continue;
        out.set(id, { dn: entry.dn, upn, values, record: valuesToRecord(upn, values) });
      }
    }
    return out;
  }

  async list(options: ListUsersOptions = {}): Promise<UserRecord[]> {
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_PAGE)), MAX_PAGE);
    const after = options.after === undefined ? undefined : upnKey(options.after);
    const prefix = options.prefix?.trim() ?? '';
    return this.run('list users', async (s) => {
      // Lower-cased UPN order, as the SQL stores: from the key index (ad-list-index.ts), then
      // only this page's records are read.
      const index = await this.currentIndex(s, prefix);
      const out: UserRecord[] = [];
      const listed = new Set<string>();
      let cursor = after;
      // Each round lists or drops every user it reads, so it ends within size / limit rounds.
      while (out.length < limit) {
        const batch = index.next(cursor, limit - out.length);
        if (batch.length === 0) break;
        const found = await this.readIndexed(s, batch);
        for (const u of batch) {
          const f = found.get(u.id);
          if (f?.record === undefined) {
            index.remove(u.id); // un-enrolled, deleted or moved away since it was indexed
            continue;
          }
          const key = upnKey(f.upn);
          if (key !== u.key) {
            // Renamed since: it belongs elsewhere in the order (a later page, if at all).
            if (key.startsWith(prefix.toLowerCase())) index.upsert(u.id, key);
            else index.remove(u.id);
            continue;
          }
          if (listed.has(key)) continue;
          listed.add(key);
          out.push(f.record);
        }
        cursor = batch[batch.length - 1]!.key;
      }
      return out;
    });
  }

  async count(): Promise<number> {
    return this.run('count users', async (s) => {
      const entries = await this.enrolledEntries(s, undefined, [
        'userPrincipalName',
        name('secret'),
      ]);
      return entries.filter((e) => e.record !== undefined).length;
    });
  }

  // ---- nonces and registrations (children of the data container) ----

  private async ensureContainers(s: LdapSession): Promise<void> {
    for (const dn of [this.dataDn, `CN=Nonces,${this.dataDn}`, `CN=Providers,${this.dataDn}`]) {
      try {
        await s.add(dn, { objectClass: ['top', 'container'] });
      } catch (err) {
        if (ldapResultCode(err) !== LDAP_RESULT.entryAlreadyExists) throw err;
      }
    }
  }

  /** Add an entry under the data container, creating the containers when they are missing. */
  private async addData(
    s: LdapSession,
    dn: string,
    attributes: Record<string, string[]>,
  ): Promise<void> {
    try {
      await s.add(dn, attributes);
    } catch (err) {
      if (ldapResultCode(err) !== LDAP_RESULT.noSuchObject) throw err;
      await this.ensureContainers(s);
      await s.add(dn, attributes);
    }
  }

  private async readData(s: LdapSession, dn: string): Promise<AdValues | undefined> {
    try {
      const { searchEntries } = await s.search(dn, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['msDS-Settings'],
      });
      const entry = searchEntries[0];
      return entry === undefined
        ? undefined
        : entryValues(entry as unknown as Record<string, unknown>);
    } catch (err) {
      if (ldapResultCode(err) === LDAP_RESULT.noSuchObject) return undefined;
      throw err;
    }
  }

  private async deleteData(s: LdapSession, dn: string): Promise<boolean> {
    try {
      await s.del(dn);
      return true;
    } catch (err) {
      if (ldapResultCode(err) === LDAP_RESULT.noSuchObject) return false;
      throw err;
    }
  }

  private nonceDn(key: string): string {
    return `CN=${createHash('sha256').update(key, 'utf8').digest('hex')},CN=Nonces,${this.dataDn}`;
  }

  async rememberNonce(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    if (typeof key !== 'string' || key.length === 0 || key.length > 200)
      throw new TypeError('"key" must be 1–200 characters');
    checkDate(expiresAt, 'expiresAt');
    checkDate(now, 'now');
    const dn = this.nonceDn(key);
    const attributes = {
      objectClass: ['top', 'msDS-App-Configuration'],
      'msDS-Settings': [`expires=${expiresAt.getTime()}`],
      // Whole seconds, for the sweep filter; the exact expiry is the msDS-Settings value.
      'msDS-DateTime': [generalizedTime(expiresAt)],
    };
    const first = await this.run('remember a nonce', async (s) => {
      try {
        await this.addData(s, dn, attributes);
        return true;
      } catch (err) {
        if (ldapResultCode(err) !== LDAP_RESULT.entryAlreadyExists) throw err;
      }
      // Seen before: still valid → replay; expired → it may be used again.
      const values = await this.readData(s, dn);
      const expires = nonceExpiry(values);
      if (expires !== undefined && expires > now.getTime()) return false;
      await this.deleteData(s, dn);
      try {
        await this.addData(s, dn, attributes);
        return true;
      } catch (err) {
        if (ldapResultCode(err) === LDAP_RESULT.entryAlreadyExists) return false; // another node won
        throw err;
      }
    });
    if (first) {
      this.noncesAdded += 1;
      if (this.noncesAdded % NONCE_SWEEP_EVERY === 0)
        await this.sweepNonces(now).catch(() => undefined);
    }
    return first;
  }

  /** Delete expired nonces (bounded): those whose expiry second is at least a second past. */
  private async sweepNonces(now: Date): Promise<void> {
    const cutoff = generalizedTime(new Date(now.getTime() - 1000));
    await this.run('sweep nonces', async (s) => {
      const { searchEntries } = await s
        .search(`CN=Nonces,${this.dataDn}`, {
          scope: 'one',
          filter: `(msDS-DateTime<=${cutoff})`,
          attributes: ['1.1'],
          paged: { pageSize: NONCE_SWEEP_MAX },
        })
        .catch((err: unknown) => {
          if (ldapResultCode(err) === LDAP_RESULT.noSuchObject) return { searchEntries: [] };
          throw err;
        });
      for (const e of searchEntries.slice(0, NONCE_SWEEP_MAX)) await this.deleteData(s, e.dn);
    });
  }

  private providerDn(provider: string): string {
    if (typeof provider !== 'string' || provider.length === 0 || provider.length > 64) {
      throw new TypeError('"provider" must be 1–64 characters');
    }
    return `CN=${escapeDnValue(provider)},CN=Providers,${this.dataDn}`;
  }

  async register(registration: ProviderRegistration): Promise<void> {
    const dn = this.providerDn(registration?.provider);
    checkDate(registration.updated, 'updated');
    const settings = JSON.stringify({
      version: registration.version,
      fingerprint: registration.fingerprint,
      updated: registration.updated.toISOString(),
    });
    await this.run('register the provider', async (s) => {
      try {
        await this.addData(s, dn, {
          objectClass: ['top', 'msDS-App-Configuration'],
          'msDS-Settings': [settings],
        });
      } catch (err) {
        if (ldapResultCode(err) !== LDAP_RESULT.entryAlreadyExists) throw err;
        await s.modify(
          dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'msDS-Settings', values: [settings] }),
          }),
        );
      }
    });
  }

  async getRegistration(provider: string): Promise<ProviderRegistration | undefined> {
    const dn = this.providerDn(provider);
    const values = await this.run('read the provider registration', (s) => this.readData(s, dn));
    const raw = values === undefined ? undefined : firstValue(values, 'msDS-Settings');
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as {
        version?: unknown;
        fingerprint?: unknown;
        updated?: unknown;
      };
      const updated = new Date(String(parsed.updated));
      return {
        provider,
        version: String(parsed.version ?? ''),
        fingerprint: String(parsed.fingerprint ?? ''),
        updated: Number.isNaN(updated.getTime()) ? new Date(0) : updated,
      };
    } catch {
      return undefined;
    }
  }

  async unregister(provider: string): Promise<boolean> {
    const dn = this.providerDn(provider);
    return this.run('unregister the provider', (s) => this.deleteData(s, dn));
  }

  // ---- lifecycle ----

  async ping(signal?: AbortSignal): Promise<void> {
    await this.run(
      'ping',
      async (s) => {
        const { searchEntries } = await s.search('', {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: ['schemaNamingContext'],
        });
        if (this.schemaChecked) return;
        const schemaNc =
          searchEntries[0] === undefined
            ? undefined
            : firstValue(
                entryValues(searchEntries[0] as unknown as Record<string, unknown>),
                'schemaNamingContext',
              );
        if (schemaNc === undefined) {
          throw storeError(
            'ERR_STORE_SCHEMA',
            'ad_attributes_missing',
            `${this.pool.server} is not Active Directory (no schemaNamingContext)`,
            {
              hint: 'AD mode needs Active Directory or Samba AD',
            },
          );
        }
        const { searchEntries: found } = await s.search(schemaNc, {
          scope: 'one',
          filter: equalityFilter('lDAPDisplayName', name('secret')),
          attributes: ['1.1'],
        });
        if (found.length === 0) {
          throw storeError(
            'ERR_STORE_SCHEMA',
            'ad_attributes_missing',
            `the schema of ${this.pool.server} has no ${name('secret')} attribute`,
            {
              hint: 'run the ad-schema extension (securemfa-<provider> install on the main node, or ad-schema/README.md) as a member of Schema Admins',
            },
          );
        }
        this.schemaChecked = true;
      },
      signal,
    );
  }

  /**
   * The schema extension, and the bind account's rights (changes nothing): the sMFA-OTP-*
   * attributes it may write on a sample user object (AD's constructed
   * `allowedAttributesEffective`, preferring an enrolled user), and whether it may create the
   * nonce and registration entries under the data container (`allowedChildClassesEffective`).
   *
   * @returns the inspection; `missingAccess` is undefined when no user object is visible
   * @throws {StoreError} when the directory cannot be reached or the bind fails
   */
  async inspect(signal?: AbortSignal): Promise<StoreInspection> {
    const status = await readAdSchemaStatus({ ...this.connection, dataDn: this.dataDn });
    const missingAttributes = status.items
      .filter((i) => i.status === 'missing' && i.kind !== 'container')
      .map((i) => (i.kind === 'auxiliaryClass' ? `${i.name} (auxiliaryClass of user)` : i.name));
    if (missingAttributes.length > 0) return { missingAttributes };
    const containerMissing = status.items.some(
      (i) => i.kind === 'container' && i.status === 'missing',
    );
    return this.run(
      'inspect the access rights',
      async (s) => {
        const sample = async (filter: string): Promise<Map<string, string[]> | undefined> => {
          const page = await s.searchFirstPage(
            this.baseDn,
            { scope: 'sub', filter, attributes: ['allowedAttributesEffective'] },
            1,
          );
          const entry = page.searchEntries[0];
          return entry === undefined
            ? undefined
            : entryValues(entry as unknown as Record<string, unknown>);
        };
        const person = '(&(objectCategory=person)(objectClass=user))';
        const values =
          (await sample(andFilter(person, presenceFilter(name('laststep'))))) ??
          (await sample(person));
        const missing: string[] = [];
        let sampled = false;
        if (values !== undefined) {
          sampled = true;
          const writable = new Set(
            (values.get('allowedattributeseffective') ?? []).map((a) => a.toLowerCase()),
          );
          for (const attr of AD_ATTRIBUTE_NAMES) {
            if (!writable.has(attr.toLowerCase())) missing.push(`write ${attr}`);
          }
        }
        if (!containerMissing) {
          for (const dn of [`CN=Nonces,${this.dataDn}`, `CN=Providers,${this.dataDn}`]) {
            const { searchEntries } = await s
              .search(dn, {
                scope: 'base',
                filter: '(objectClass=*)',
                attributes: ['allowedChildClassesEffective'],
              })
              .catch((err: unknown) => {
                if (ldapResultCode(err) === LDAP_RESULT.noSuchObject) return { searchEntries: [] };
                throw err;
              });
            const entry = searchEntries[0];
            if (entry === undefined) continue;
            const classes = (
              entryValues(entry as unknown as Record<string, unknown>).get(
                'allowedchildclasseseffective',
              ) ?? []
            ).map((c) => c.toLowerCase());
            if (!classes.includes('msds-app-configuration')) {
              missing.push(`create msDS-App-Configuration under ${dn}`);
            }
          }
        }
        return {
          missingAttributes: [],
          missingAccess: sampled || missing.length > 0 ? missing : undefined,
          accessHint:
            missing.length === 0
              ? undefined
              : 'grant the bind account Read/Write on the sMFA-OTP-* properties of user objects (and Control Access on the confidential sMFA-OTP-secret), and Create/Delete msDS-App-Configuration objects under the SecureMFA data container; see ad-schema/README.md "Permissions"',
        };
      },
      signal,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }
}

/** Generalized Time (whole seconds, rounded down), e.g. `20261122120000.0Z`. */
function generalizedTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-T:]/g, '')}.0Z`;
}

function nonceExpiry(values: AdValues | undefined): number | undefined {
  const raw = values === undefined ? undefined : firstValue(values, 'msDS-Settings');
  const m = raw === undefined ? null : /^expires=(-?[0-9]+)$/.exec(raw);
  return m === null ? undefined : fromAdInteger(m[1], 0);
}
