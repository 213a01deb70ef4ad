/**
 * The in-memory store: the reference implementation of the `UserStore` contract (as
 * node-oidc-provider's memory adapter is for its adapters), and the store of unit tests and
 * `serve --demo`. Read it next to user-store.ts when writing a backend.
 *
 * Every operation runs synchronously inside one call (no `await` between its read and its
 * write), so each is atomic by construction — the property the SQL and AD backends reach with
 * one conditional UPDATE or one delete-old/add-new modify. Records are copied in and out:
 * callers never hold live references. Nothing is persisted and nothing is shared between
 * processes: a farm needs one of the other backends.
 *
 * Behaviour shared with every backend (the contract suite checks it):
 * - UPNs are keyed by {@link upnKey} and returned as first enrolled (trimmed);
 * - a refused accept is explained in this order: not_found, disabled, reused, locked;
 * - a failure records count, time and the sanitised input, not ip/user agent (those describe
 *   the last successful logon);
 * - profile fields: `undefined` keeps the stored value, `null` clears it;
 * - a restore writes the record as given (restore-record.ts normalises it), keeping the stored
 *   UPN spelling and, for the same secret, a higher stored laststep.
 *
 * @module store
 */
import { StoreError } from '../errors.js';
import {
  checkDate,
  checkNonceKey,
  checkSecret,
  checkStep,
  keyOf,
  listLimit,
  upnToStore,
} from './sql/arguments.js';
import { checkRestoreOptions, checkRestoreRecord, guardedLaststep } from './restore-record.js';
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

/** A deep copy of a record (its Dates are the only mutable members). */
function copy(r: UserRecord): UserRecord {
  return {
    ...r,
    lastlogon: r.lastlogon === null ? null : new Date(r.lastlogon.getTime()),
    failedlastlogon: r.failedlastlogon === null ? null : new Date(r.failedlastlogon.getTime()),
    created: new Date(r.created.getTime()),
  };
}

/** How many remembered nonces trigger a sweep of the expired ones. */
const NONCE_SWEEP_SIZE = 10_000;

/**
 * A `UserStore` in process memory.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * await store.enrol('alice@example.test', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', new Date());
 * ```
 */
export class MemoryStore implements UserStore {
  readonly kind = 'memory' as const;
  private readonly users = new Map<string, UserRecord>();
  private readonly nonces = new Map<string, number>();
  private readonly registrations = new Map<string, ProviderRegistration>();
  private closed = false;

  private check(): void {
    if (this.closed) {
      throw new StoreError('ERR_STORE_UNAVAILABLE', 'the memory store is closed', {
        hint: 'open a new store; close() is final',
      });
    }
  }

  /** The live record of a user (internal: never handed out). */
  private find(upn: string): UserRecord | undefined {
    const key = keyOf(upn);
    this.check();
    return this.users.get(key);
  }

  async get(upn: string, _signal?: AbortSignal): Promise<UserRecord | undefined> {
    const r = this.find(upn);
    return r === undefined ? undefined : copy(r);
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
    const key = upnKey(stored);
    const existing = this.users.get(key);
    const record: UserRecord =
      existing === undefined
        ? {
            upn: stored,
            secret,
            enabled: true,
            logon: 0,
            lastlogon: null,
            logoncount: 0,
            failedlogoncount: 0,
            failedlastlogon: null,
            failedcode: null,
            logonip: null,
            useragent: null,
            laststep: -1,
            email: profile.email ?? null,
            mobile: profile.mobile ?? null,
            created: new Date(now.getTime()),
          }
        : {
            ...existing,
            secret,
            logon: 0,
            laststep: -1,
            failedlogoncount: 0,
            failedlastlogon: null,
            failedcode: null,
            email: profile.email === undefined ? existing.email : profile.email,
            mobile: profile.mobile === undefined ? existing.mobile : profile.mobile,
          };
    this.users.set(key, record);
    return copy(record);
  }

  async acceptCode(
    upn: string,
    step: number,
    meta: LogonMeta,
    now: Date,
    options: AcceptCodeOptions,
  ): Promise<AcceptResult> {
    checkStep(step);
    checkDate(now, 'now');
    const lock = options.lockout;
    if (lock !== undefined) checkDate(lock.lastFailureAfter, 'lockout.lastFailureAfter');
    const r = this.find(upn);
    if (r === undefined) return { ok: false, reason: 'not_found' };
    if (!r.enabled) return { ok: false, reason: 'disabled', record: copy(r) };
    if (options.allowReuse ? step < r.laststep : step <= r.laststep) {
      return { ok: false, reason: 'reused', record: copy(r) };
    }
    if (
      lock !== undefined &&
      r.failedlogoncount >= lock.maxFailures &&
      r.failedlastlogon !== null &&
      r.failedlastlogon.getTime() > lock.lastFailureAfter.getTime()
    ) {
      return { ok: false, reason: 'locked', record: copy(r) };
    }
    const { ip, userAgent } = sanitiseMeta(meta);
    r.laststep = step;
    r.logon = 1;
    r.lastlogon = new Date(now.getTime());
    r.logoncount += 1;
    r.failedlogoncount = 0;
    r.logonip = ip;
    r.useragent = userAgent;
    return { ok: true, record: copy(r) };
  }

  async recordFailure(
    upn: string,
    input: string,
    _meta: LogonMeta,
    now: Date,
    options: RecordFailureOptions = {},
  ): Promise<UserRecord | undefined> {
    checkDate(now, 'now');
    const before = options.restartIfLastFailureBefore;
    if (before !== undefined) checkDate(before, 'restartIfLastFailureBefore');
    const failedcode = sanitiseFailedCode(String(input), options.codeDigits);
    const r = this.find(upn);
    if (r === undefined) return undefined;
    const restart =
      before !== undefined &&
      r.failedlastlogon !== null &&
      r.failedlastlogon.getTime() <= before.getTime();
    r.failedlogoncount = restart ? 1 : r.failedlogoncount + 1;
    r.failedlastlogon = new Date(now.getTime());
    r.failedcode = failedcode;
    return copy(r);
  }

  async restore(record: UserRecord, options: RestoreOptions): Promise<RestoreOutcome> {
    const r = checkRestoreRecord(record);
    const { overwrite } = checkRestoreOptions(options);
    this.check();
    const key = upnKey(r.upn);
    const existing = this.users.get(key);
    if (existing === undefined) {
      this.users.set(key, r);
      return 'created';
    }
    if (!overwrite) return 'exists';
    this.users.set(key, { ...r, upn: existing.upn, laststep: guardedLaststep(existing, r) });
    return 'replaced';
  }

  /** Apply `change` to the live record; false when there is none. */
  private update(upn: string, change: (r: UserRecord) => void): boolean {
    const r = this.find(upn);
    if (r === undefined) return false;
    change(r);
    return true;
  }

  async setEnabled(upn: string, enabled: boolean): Promise<boolean> {
    if (typeof enabled !== 'boolean') throw new TypeError('"enabled" must be a boolean');
    return this.update(upn, (r) => {
      r.enabled = enabled;
    });
  }

  async resetLogon(upn: string): Promise<boolean> {
    return this.update(upn, (r) => {
      r.logon = 0;
      r.laststep = -1;
    });
  }

  async unlock(upn: string): Promise<boolean> {
    return this.update(upn, (r) => {
      r.failedlogoncount = 0;
      r.failedlastlogon = null;
    });
  }

  async setProfile(upn: string, profile: UserProfile): Promise<boolean> {
    return this.update(upn, (r) => {
      if (profile.email !== undefined) r.email = profile.email;
      if (profile.mobile !== undefined) r.mobile = profile.mobile;
    });
  }

  async replaceSecret(upn: string, expected: string, next: string): Promise<boolean> {
    checkSecret(expected, 'expected');
    checkSecret(next, 'next');
    const r = this.find(upn);
    if (r === undefined || r.secret !== expected) return false;
    r.secret = next;
    return true;
  }

  async delete(upn: string): Promise<boolean> {
    const key = keyOf(upn);
    this.check();
    return this.users.delete(key);
  }

  async list(options: ListUsersOptions = {}): Promise<UserRecord[]> {
    const limit = listLimit(options.limit);
    const prefix = options.prefix === undefined ? '' : upnKey(options.prefix);
    const after = options.after === undefined ? undefined : keyOf(options.after);
    this.check();
    const out: UserRecord[] = [];
    // Keys compare as the SQL stores order upn_key (code unit order, like BINARY collation).
    for (const key of [...this.users.keys()].sort()) {
      if (out.length >= limit) break;
      if ((after === undefined || key > after) && key.startsWith(prefix)) {
        out.push(copy(this.users.get(key)!));
      }
    }
    return out;
  }

  async count(): Promise<number> {
    this.check();
    return this.users.size;
  }

  async rememberNonce(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    checkNonceKey(key);
    checkDate(expiresAt, 'expiresAt');
    checkDate(now, 'now');
    this.check();
    const seen = this.nonces.get(key);
    if (seen !== undefined && seen > now.getTime()) return false;
    this.nonces.set(key, expiresAt.getTime());
    if (this.nonces.size > NONCE_SWEEP_SIZE) {
      for (const [k, exp] of this.nonces) if (exp <= now.getTime()) this.nonces.delete(k);
    }
    return true;
  }

  async register(registration: ProviderRegistration): Promise<void> {
    for (const name of ['provider', 'version', 'fingerprint'] as const) {
      const value: unknown = registration[name];
      if (typeof value !== 'string' || value === '') {
        throw new TypeError(`"registration.${name}" must be a non-empty string`);
      }
    }
    checkDate(registration.updated, 'registration.updated');
    this.check();
    const { provider, version, fingerprint, updated } = registration;
    this.registrations.set(provider, {
      provider,
      version,
      fingerprint,
      updated: new Date(updated.getTime()),
    });
  }

  async getRegistration(provider: string): Promise<ProviderRegistration | undefined> {
    if (typeof provider !== 'string') throw new TypeError('"provider" must be a string');
    this.check();
    const r = this.registrations.get(provider);
    return r === undefined ? undefined : { ...r, updated: new Date(r.updated.getTime()) };
  }

  async unregister(provider: string): Promise<boolean> {
    if (typeof provider !== 'string') throw new TypeError('"provider" must be a string');
    this.check();
    return this.registrations.delete(provider);
  }

  async ping(_signal?: AbortSignal): Promise<void> {
    this.check();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
