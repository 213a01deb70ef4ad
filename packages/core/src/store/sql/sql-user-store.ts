/**
 * The `UserStore` over any SQL backend: one class, the statements written once (statements.ts),
 * the dialect supplying the differences (dialect.ts), a small executor wrapping the driver.
 *
 * Atomicity (user-store.ts): `acceptCode` and `recordFailure` are each ONE conditional
 * `UPDATE … RETURNING` (or `OUTPUT inserted.…`), so two nodes handed the same code at the same
 * moment cannot both win and N concurrent failures add exactly N. `enrol`, `rememberNonce` and
 * `register` are each one upsert; `restore` writes the whole record in one INSERT-if-absent or one
 * UPDATE (statements.ts). Only the explanation of a refused accept reads the row again,
 * after the fact and off the success path.
 *
 * What a failure records: `failedlogoncount`, `failedlastlogon` and the sanitised `failedcode`.
 * `logonip` and `useragent` describe the last successful logon (seeds: "details from last
 * logon"), so a failure leaves them alone — an attacker's failed attempts cannot overwrite where
 * the user last signed in from. The same holds for every backend (memory, AD).
 *
 * @module store
 */
import { StoreError } from '../../errors.js';
import {
  sanitiseFailedCode,
  sanitiseMeta,
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
} from '../user-store.js';
import {
  checkDate,
  checkNonceKey,
  checkSecret,
  checkStep,
  keyOf,
  listLimit,
  upnToStore,
} from './arguments.js';
import { checkRestoreOptions, checkRestoreRecord } from '../restore-record.js';
import type { SqlDialect } from './dialect.js';
import { rowToRecord, rowToRegistration, type SqlRow } from './rows.js';
import { buildStatements, likePrefixPattern, type StoreStatements } from './statements.js';

/**
 * One prepared statement. Arguments are positional: `args[0]` binds `$1`. Drivers that are
 * synchronous (better-sqlite3) may return plain values; the store awaits either.
 */
export interface SqlStatement {
  /** The first row (SELECT, or UPDATE/INSERT … RETURNING), or undefined. */
  one(args: readonly unknown[]): SqlRow | undefined | Promise<SqlRow | undefined>;
  /** Every row. */
  all(args: readonly unknown[]): SqlRow[] | Promise<SqlRow[]>;
  /** Rows changed by an INSERT/UPDATE/DELETE/upsert. */
  run(args: readonly unknown[]): number | Promise<number>;
}

/** How a SQL store talks to its driver. */
export interface SqlExecutor {
  /**
   * Prepare a statement once (called at construction for every statement the store runs).
   *
   * @param sql - statement text with `$n` placeholders
   */
  prepare(sql: string): SqlStatement;
  /** Release the connection(s). Called once. */
  close(): Promise<void>;
}

/** How often (in remembered nonces) expired nonces are swept. */
const NONCE_SWEEP_EVERY = 256;

/** Attempts of an accept whose refusal the re-read row cannot explain (it changed meanwhile). */
const ACCEPT_ATTEMPTS = 3;

type Prepared = { readonly [K in keyof StoreStatements]: SqlStatement };

/** Why an accept that changed nothing was refused, from the row as it is now. */
function refusal(
  record: UserRecord,
  step: number,
  options: AcceptCodeOptions,
): 'disabled' | 'reused' | 'locked' | undefined {
  if (!record.enabled) return 'disabled';
  if (options.allowReuse ? step < record.laststep : step <= record.laststep) return 'reused';
  const l = options.lockout;
  if (
    l !== undefined &&
    record.failedlogoncount >= l.maxFailures &&
    record.failedlastlogon !== null &&
    record.failedlastlogon.getTime() > l.lastFailureAfter.getTime()
  ) {
    return 'locked';
  }
  return undefined;
}

/**
 * A UserStore over SQL. Backends construct it with their executor and dialect (see sqlite.ts)
 * once the schema is in place (after migrating): every statement is prepared once, here, which
 * also proves that the tables have the columns this code needs.
 */
export class SqlUserStore implements UserStore {
  readonly kind: UserStore['kind'];
  /** Where the data lives, for messages (a path, or host/database; never a password). */
  readonly location: string;
  protected readonly dialect: SqlDialect;
  private readonly exec: SqlExecutor;
  private readonly st: Prepared;
  private closed = false;
  private closing: Promise<void> | undefined;
  private noncesSinceSweep = 0;

  /**
   * @param exec - the driver wrapper
   * @param dialect - the backend's dialect
   * @param kind - the store kind reported by `kind`
   * @param location - where the data lives, for messages (never a password)
   */
  constructor(exec: SqlExecutor, dialect: SqlDialect, kind: UserStore['kind'], location: string) {
    this.exec = exec;
    this.dialect = dialect;
    this.kind = kind;
    this.location = location;
    const texts = buildStatements(dialect);
    const prepared: Partial<Record<keyof StoreStatements, SqlStatement>> = {};
    for (const name of Object.keys(texts) as (keyof StoreStatements)[]) {
      prepared[name] = exec.prepare(texts[name]);
    }
    this.st = prepared as Prepared;
  }

  /** @throws {StoreError} ERR_STORE_UNAVAILABLE once the store is closed */
  protected check(): void {
    if (this.closed) {
      throw new StoreError(
        'ERR_STORE_UNAVAILABLE',
        `the ${this.kind} store ${this.location} is closed`,
        { hint: 'open a new store; close() is final' },
      );
    }
  }

  private time(d: Date): unknown {
    return this.dialect.toDbTime(d);
  }

  private toRecord(row: SqlRow | undefined): UserRecord | undefined {
    return row === undefined ? undefined : rowToRecord(row, this.dialect);
  }

  async get(upn: string, _signal?: AbortSignal): Promise<UserRecord | undefined> {
    const key = keyOf(upn);
    this.check();
    return this.toRecord(await this.st.get.one([key]));
  }

  async enrol(
    upn: string,
    secret: string,
    now: Date,
    profile: UserProfile = {},
  ): Promise<UserRecord> {
    const stored = upnToStore(upn);
    checkSecret(secret, 'secret');
    checkDate(now, 'now');
    this.check();
    const emailGiven = profile.email !== undefined;
    const mobileGiven = profile.mobile !== undefined;
    const row = await this.st.enrol.one([
      keyOf(stored),
      stored,
      secret,
      profile.email ?? null,
      profile.mobile ?? null,
      this.time(now),
      emailGiven ? 1 : 0,
      mobileGiven ? 1 : 0,
    ]);
    if (row === undefined) {
      throw new StoreError('ERR_STORE_CONFLICT', `enrolling ${stored} changed no row`, {
        hint: 'check the secrets table of the store (see sql-scripts)',
      });
    }
    return rowToRecord(row, this.dialect);
  }

  async acceptCode(
    upn: string,
    step: number,
    meta: LogonMeta,
    now: Date,
    options: AcceptCodeOptions,
  ): Promise<AcceptResult> {
    const key = keyOf(upn);
    checkStep(step);
    checkDate(now, 'now');
    const lockout = options.lockout;
    if (lockout !== undefined) checkDate(lockout.lastFailureAfter, 'lockout.lastFailureAfter');
    this.check();
    const { ip, userAgent } = sanitiseMeta(meta);
    const args: unknown[] = [step, this.time(now), ip, userAgent, key, step];
    let statement: SqlStatement;
    if (lockout === undefined) {
      statement = options.allowReuse ? this.st.acceptReuse : this.st.accept;
    } else {
      statement = options.allowReuse ? this.st.acceptReuseLockout : this.st.acceptLockout;
      args.push(lockout.maxFailures, this.time(lockout.lastFailureAfter));
    }
    for (let attempt = 0; attempt < ACCEPT_ATTEMPTS; attempt += 1) {
      const updated = await statement.one(args);
      if (updated !== undefined) return { ok: true, record: rowToRecord(updated, this.dialect) };
      // Nothing changed: read the row to say why (off the success path).
      const record = this.toRecord(await this.st.get.one([key]));
      if (record === undefined) return { ok: false, reason: 'not_found' };
      const reason = refusal(record, step, options);
      if (reason !== undefined) return { ok: false, reason, record };
      // The row changed between the UPDATE and the read (re-enrolled, unlocked…): try again.
    }
    throw new StoreError(
      'ERR_STORE_CONFLICT',
      `accepting a code for ${key} kept conflicting with concurrent changes`,
      { hint: 'retry; if it persists, look for a process rewriting the secrets table' },
    );
  }

  async recordFailure(
    upn: string,
    input: string,
    _meta: LogonMeta,
    now: Date,
    options: RecordFailureOptions = {},
  ): Promise<UserRecord | undefined> {
    const key = keyOf(upn);
    checkDate(now, 'now');
    const before = options.restartIfLastFailureBefore;
    if (before !== undefined) checkDate(before, 'restartIfLastFailureBefore');
    this.check();
    const failed = sanitiseFailedCode(String(input), options.codeDigits);
    const row =
      before === undefined
        ? await this.st.fail.one([key, this.time(now), failed])
        : await this.st.failRestart.one([key, this.time(now), failed, this.time(before)]);
    return this.toRecord(row);
  }

  async restore(record: UserRecord, options: RestoreOptions): Promise<RestoreOutcome> {
    const r = checkRestoreRecord(record);
    const { overwrite } = checkRestoreOptions(options);
    this.check();
    const key = keyOf(r.upn);
    const t = (d: Date | null): unknown => (d === null ? null : this.time(d));
    // The fields after the UPN, in the order both statements bind them.
    const fields = [
      r.secret,
      this.dialect.toDbBool(r.enabled),
      r.logon,
      t(r.lastlogon),
      r.logoncount,
      r.failedlogoncount,
      t(r.failedlastlogon),
      r.failedcode,
      r.logonip,
      r.useragent,
      r.laststep,
      r.email,
      r.mobile,
      t(r.created),
    ];
    const insert = [key, r.upn, ...fields];
    const replace = [key, ...fields];
    // Each attempt is one INSERT (nothing when the key exists) and, with overwrite, one UPDATE
    // (nothing when the row is gone): a row deleted or created between the two is caught by the
    // next attempt.
    for (let attempt = 0; attempt < ACCEPT_ATTEMPTS; attempt += 1) {
      if ((await this.st.restoreInsert.run(insert)) > 0) return 'created';
      if (!overwrite) return 'exists';
      if ((await this.st.restoreReplace.run(replace)) > 0) return 'replaced';
    }
    throw new StoreError(
      'ERR_STORE_CONFLICT',
      `restoring the record of ${key} kept conflicting with concurrent deletes`,
      { hint: 'retry; if it persists, look for a process deleting rows of the secrets table' },
    );
  }

  private async changed(statement: SqlStatement, args: readonly unknown[]): Promise<boolean> {
    this.check();
    return (await statement.run(args)) > 0;
  }

  async setEnabled(upn: string, enabled: boolean): Promise<boolean> {
    if (typeof enabled !== 'boolean') throw new TypeError('"enabled" must be a boolean');
    return this.changed(this.st.setEnabled, [keyOf(upn), this.dialect.toDbBool(enabled)]);
  }

  async resetLogon(upn: string): Promise<boolean> {
    return this.changed(this.st.resetLogon, [keyOf(upn)]);
  }

  async unlock(upn: string): Promise<boolean> {
    return this.changed(this.st.unlock, [keyOf(upn)]);
  }

  async setProfile(upn: string, profile: UserProfile): Promise<boolean> {
    const key = keyOf(upn);
    const email = profile.email;
    const mobile = profile.mobile;
    return this.changed(this.st.setProfile, [
      key,
      email === undefined ? 0 : 1,
      email ?? null,
      mobile === undefined ? 0 : 1,
      mobile ?? null,
    ]);
  }

  async replaceSecret(upn: string, expected: string, next: string): Promise<boolean> {
    const key = keyOf(upn);
    checkSecret(expected, 'expected');
    checkSecret(next, 'next');
    return this.changed(this.st.replaceSecret, [key, expected, next]);
  }

  async delete(upn: string): Promise<boolean> {
    return this.changed(this.st.delete, [keyOf(upn)]);
  }

  async list(options: ListUsersOptions = {}): Promise<UserRecord[]> {
    const limit = listLimit(options.limit);
    const after = options.after === undefined ? undefined : keyOf(options.after);
    const prefix =
      options.prefix === undefined || options.prefix.trim() === ''
        ? undefined
        : likePrefixPattern(options.prefix);
    this.check();
    let rows: SqlRow[];
    if (after === undefined && prefix === undefined) rows = await this.st.list.all([limit]);
    else if (prefix === undefined) rows = await this.st.listAfter.all([after, limit]);
    else if (after === undefined) rows = await this.st.listPrefix.all([prefix, limit]);
    else rows = await this.st.listAfterPrefix.all([after, prefix, limit]);
    return rows.map((r) => rowToRecord(r, this.dialect));
  }

  async count(): Promise<number> {
    this.check();
    const row = await this.st.count.one([]);
    return Number(row?.[0] ?? 0);
  }

  async rememberNonce(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    checkNonceKey(key);
    checkDate(expiresAt, 'expiresAt');
    checkDate(now, 'now');
    this.check();
    // One upsert: inserts a new key, or takes over an expired one; a live one changes nothing.
    const first = (await this.st.nonce.run([key, this.time(expiresAt), this.time(now)])) > 0;
    if (first) {
      this.noncesSinceSweep += 1;
      if (this.noncesSinceSweep >= NONCE_SWEEP_EVERY) {
        this.noncesSinceSweep = 0;
        await this.st.nonceSweep.run([this.time(now)]);
      }
    }
    return first;
  }

  async register(registration: ProviderRegistration): Promise<void> {
    const { provider, version, fingerprint, updated } = registration;
    for (const [name, value] of [
      ['provider', provider],
      ['version', version],
      ['fingerprint', fingerprint],
    ] as const) {
      if (typeof value !== 'string' || value === '') {
        throw new TypeError(`"registration.${name}" must be a non-empty string`);
      }
    }
    checkDate(updated, 'registration.updated');
    this.check();
    await this.st.register.run([provider, version, fingerprint, this.time(updated)]);
  }

  async getRegistration(provider: string): Promise<ProviderRegistration | undefined> {
    if (typeof provider !== 'string') throw new TypeError('"provider" must be a string');
    this.check();
    const row = await this.st.registration.one([provider]);
    return row === undefined ? undefined : rowToRegistration(row, this.dialect);
  }

  async unregister(provider: string): Promise<boolean> {
    if (typeof provider !== 'string') throw new TypeError('"provider" must be a string');
    return this.changed(this.st.unregister, [provider]);
  }

  async ping(_signal?: AbortSignal): Promise<void> {
    this.check();
    await this.st.ping.one([]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.exec.close();
    await this.closing;
  }
}
