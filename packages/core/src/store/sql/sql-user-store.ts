/**
 * The `UserStore` over any SQL backend: one class, the statements written once, the dialect
 * supplying the differences. Accepting a code and recording a failure are each ONE conditional
 * UPDATE … RETURNING, so two nodes handed the same code at the same moment cannot both win.
 *
 * @module store
 */
import { StoreError } from '../../errors.js';
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
  type UserProfile,
  type UserRecord,
  type UserStore,
} from '../user-store.js';
import type { SqlDialect } from './dialect.js';
import { rowToRecord, type SecretRow } from './rows.js';

/** How the store talks to its driver. Statements use `$n` placeholders (rewritten by the dialect). */
export interface SqlExecutor {
  /** Rows of a SELECT or of an UPDATE/INSERT … RETURNING. */
  all(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
  /** Cheap round trip. */
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_PAGE = 500;
const MAX_PAGE = 10_000;

/** Escape LIKE wildcards for `LIKE … ESCAPE '\'`. */
function likePrefix(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A UserStore over SQL. Backends construct it with their executor and dialect.
 */
export class SqlUserStore implements UserStore {
  readonly kind: UserStore['kind'];
  private readonly sql: Record<string, string>;
  private closed = false;

  constructor(
    private readonly exec: SqlExecutor,
    private readonly dialect: SqlDialect,
    kind: UserStore['kind'],
  ) {
    this.kind = kind;
    const d = dialect;
    const p = (s: string): string => d.placeholders(s);
    const acceptSet =
      'laststep = $1, logon = 1, lastlogon = $2, logoncount = logoncount + 1, failedlogoncount = 0, logonip = $3, useragent = $4';
    const lockoutGuard = ' AND NOT (failedlogoncount >= $7 AND failedlastlogon IS NOT NULL AND failedlastlogon > $8)';
    const accept = (op: '<' | '<=', guard: string): string =>
      p(d.updateReturning('secrets', acceptSet, `upn_key = $5 AND enabled = 1 AND laststep ${op} $6${guard}`));
    const failSet = (restart: boolean): string =>
      `failedlogoncount = ${
        restart
          ? 'CASE WHEN failedlastlogon IS NOT NULL AND failedlastlogon <= $4 THEN 1 ELSE failedlogoncount + 1 END'
          : 'failedlogoncount + 1'
      }, failedlastlogon = $2, failedcode = $3`;
    this.sql = {
      get: p('SELECT * FROM secrets WHERE upn_key = $1'),
      accept: accept('<', ''),
      acceptReuse: accept('<=', ''),
      acceptLockout: accept('<', lockoutGuard),
      acceptReuseLockout: accept('<=', lockoutGuard),
      fail: p(d.updateReturning('secrets', failSet(false), 'upn_key = $1')),
      failRestart: p(d.updateReturning('secrets', failSet(true), 'upn_key = $1')),
      reenrol: p(
        d.updateReturning(
          'secrets',
          'secret = $2, logon = 0, laststep = -1, failedlogoncount = 0, failedlastlogon = NULL, failedcode = NULL, email = COALESCE($3, email), mobile = COALESCE($4, mobile)',
          'upn_key = $1',
        ),
      ),
      insert: p(
        d.insertIgnore('secrets', 'upn_key', [
          'upn_key',
          'upn',
          'secret',
          'enabled',
          'logon',
          'logoncount',
          'failedlogoncount',
          'laststep',
          'email',
          'mobile',
          'created',
        ]),
      ),
      setEnabled: p('UPDATE secrets SET enabled = $2 WHERE upn_key = $1'),
      resetLogon: p('UPDATE secrets SET logon = 0, laststep = -1 WHERE upn_key = $1'),
      unlock: p('UPDATE secrets SET failedlogoncount = 0, failedlastlogon = NULL WHERE upn_key = $1'),
      setProfile: p('UPDATE secrets SET email = COALESCE($2, email), mobile = COALESCE($3, mobile) WHERE upn_key = $1'),
      clearEmail: p('UPDATE secrets SET email = NULL WHERE upn_key = $1'),
      clearMobile: p('UPDATE secrets SET mobile = NULL WHERE upn_key = $1'),
      replaceSecret: p('UPDATE secrets SET secret = $3 WHERE upn_key = $1 AND secret = $2'),
      delete: p('DELETE FROM secrets WHERE upn_key = $1'),
      count: 'SELECT COUNT(*) AS n FROM secrets',
      nonceExpired: p('DELETE FROM nonces WHERE nonce = $1 AND expires <= $2'),
      nonceInsert: p(d.insertIgnore('nonces', 'nonce', ['nonce', 'expires'])),
      nonceSweep: p('DELETE FROM nonces WHERE expires <= $1'),
      register: p(d.upsert('providers', 'provider', ['provider', 'version', 'fingerprint', 'updated'])),
      registration: p('SELECT * FROM providers WHERE provider = $1'),
      unregister: p('DELETE FROM providers WHERE provider = $1'),
    };
  }

  private time(d: Date): unknown {
    return this.dialect.toDbTime(d);
  }

  private record(row: Record<string, unknown> | undefined): UserRecord | undefined {
    return row === undefined ? undefined : rowToRecord(row as SecretRow, this.dialect);
  }

  private check(): void {
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', `the ${this.kind} store is closed`);
  }

  async get(upn: string): Promise<UserRecord | undefined> {
    this.check();
    const rows = await this.exec.all(this.sql.get!, [upnKey(upn)]);
    return this.record(rows[0]);
  }

  async enrol(upn: string, secret: string, now: Date, profile: UserProfile = {}): Promise<UserRecord> {
    this.check();
    const key = upnKey(upn);
    const email = profile.email ?? null;
    const mobile = profile.mobile ?? null;
    // Re-enrol an existing user, else insert; a concurrent insert of the same user loses the
    // INSERT race harmlessly and is retried as an update.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const updated = await this.exec.all(this.sql.reenrol!, [key, secret, email, mobile]);
      if (updated[0] !== undefined) return this.record(updated[0])!;
      const inserted = await this.exec.run(this.sql.insert!, [
        key,
        upn.trim(),
        secret,
        1,
        0,
        0,
        0,
        -1,
        email,
        mobile,
        this.time(now),
      ]);
      if (inserted === 1) return (await this.get(key))!;
    }
    throw new StoreError('ERR_STORE_CONFLICT', 'could not enrol the user: concurrent changes kept conflicting');
  }

  async acceptCode(
    upn: string,
    step: number,
    meta: LogonMeta,
    now: Date,
    options: AcceptCodeOptions,
  ): Promise<AcceptResult> {
    this.check();
    const key = upnKey(upn);
    const { ip, userAgent } = sanitiseMeta(meta);
    const params: unknown[] = [step, this.time(now), ip, userAgent, key, step];
    let sql: string;
    if (options.lockout === undefined) sql = options.allowReuse ? this.sql.acceptReuse! : this.sql.accept!;
    else {
      sql = options.allowReuse ? this.sql.acceptReuseLockout! : this.sql.acceptLockout!;
      params.push(options.lockout.maxFailures, this.time(options.lockout.lastFailureAfter));
    }
    const rows = await this.exec.all(sql, params);
    if (rows[0] !== undefined) return { ok: true, record: this.record(rows[0])! };
    // Nothing changed: say why (this read is off the success path).
    const record = await this.get(key);
    if (record === undefined) return { ok: false, reason: 'not_found' };
    if (!record.enabled) return { ok: false, reason: 'disabled', record };
    const tooOld = options.allowReuse ? step < record.laststep : step <= record.laststep;
    if (tooOld) return { ok: false, reason: 'reused', record };
    return { ok: false, reason: 'locked', record };
  }

  async recordFailure(
    upn: string,
    input: string,
    _meta: LogonMeta,
    now: Date,
    options: RecordFailureOptions = {},
  ): Promise<UserRecord | undefined> {
    this.check();
    const key = upnKey(upn);
    const failed = sanitiseFailedCode(input);
    const rows =
      options.restartIfLastFailureBefore === undefined
        ? await this.exec.all(this.sql.fail!, [key, this.time(now), failed])
        : await this.exec.all(this.sql.failRestart!, [
            key,
            this.time(now),
            failed,
            this.time(options.restartIfLastFailureBefore),
          ]);
    return this.record(rows[0]);
  }

  async setEnabled(upn: string, enabled: boolean): Promise<boolean> {
    this.check();
    return (await this.exec.run(this.sql.setEnabled!, [upnKey(upn), enabled ? 1 : 0])) === 1;
  }

  async resetLogon(upn: string): Promise<boolean> {
    this.check();
    return (await this.exec.run(this.sql.resetLogon!, [upnKey(upn)])) === 1;
  }

  async unlock(upn: string): Promise<boolean> {
    this.check();
    return (await this.exec.run(this.sql.unlock!, [upnKey(upn)])) === 1;
  }

  async setProfile(upn: string, profile: UserProfile): Promise<boolean> {
    this.check();
    const key = upnKey(upn);
    const changed = await this.exec.run(this.sql.setProfile!, [key, profile.email ?? null, profile.mobile ?? null]);
    if (changed === 1 && profile.email === null) await this.exec.run(this.sql.clearEmail!, [key]);
    if (changed === 1 && profile.mobile === null) await this.exec.run(this.sql.clearMobile!, [key]);
    return changed === 1;
  }

  async replaceSecret(upn: string, expected: string, next: string): Promise<boolean> {
    this.check();
    return (await this.exec.run(this.sql.replaceSecret!, [upnKey(upn), expected, next])) === 1;
  }

  async delete(upn: string): Promise<boolean> {
    this.check();
    return (await this.exec.run(this.sql.delete!, [upnKey(upn)])) === 1;
  }

  async list(options: ListUsersOptions = {}): Promise<UserRecord[]> {
    this.check();
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_PAGE)), MAX_PAGE);
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.after !== undefined) {
      params.push(upnKey(options.after));
      where.push(`upn_key > $${params.length}`);
    }
    if (options.prefix !== undefined && options.prefix !== '') {
      params.push(likePrefix(options.prefix.trim()));
      where.push(`upn_key LIKE $${params.length} ESCAPE '\\'`);
    }
    const base = `SELECT * FROM secrets${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY upn_key`;
    const rows = await this.exec.all(this.dialect.placeholders(this.dialect.limit(base, limit)), params);
    return rows.map((r) => this.record(r)!);
  }

  async count(): Promise<number> {
    this.check();
    const rows = await this.exec.all(this.sql.count!, []);
    return Number(rows[0]?.n ?? 0);
  }

  async rememberNonce(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    this.check();
    if (key.length === 0 || key.length > 200) throw new TypeError('"key" must be 1–200 characters');
    await this.exec.run(this.sql.nonceExpired!, [key, this.time(now)]);
    const inserted = await this.exec.run(this.sql.nonceInsert!, [key, this.time(expiresAt)]);
    // Keep the table small: sweep expired values now and then.
    if (inserted === 1 && Math.random() < 0.01) await this.exec.run(this.sql.nonceSweep!, [this.time(now)]);
    return inserted === 1;
  }

  async register(registration: ProviderRegistration): Promise<void> {
    this.check();
    await this.exec.run(this.sql.register!, [
      registration.provider,
      registration.version,
      registration.fingerprint,
      this.time(registration.updated),
    ]);
  }

  async getRegistration(provider: string): Promise<ProviderRegistration | undefined> {
    this.check();
    const row = (await this.exec.all(this.sql.registration!, [provider]))[0];
    if (row === undefined) return undefined;
    return {
      provider: String(row.provider),
      version: String(row.version),
      fingerprint: String(row.fingerprint),
      updated: this.dialect.fromDbTime(row.updated) ?? new Date(0),
    };
  }

  async unregister(provider: string): Promise<boolean> {
    this.check();
    return (await this.exec.run(this.sql.unregister!, [provider])) === 1;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    this.check();
    await this.exec.ping(signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exec.close();
  }
}
