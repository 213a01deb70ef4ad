/**
 * The in-memory store: the reference implementation of the `UserStore` contract (as
 * node-oidc-provider's memory adapter is for its adapters), and the store of unit tests.
 * Every operation runs synchronously inside one call, so it is atomic by construction.
 * Records are copied in and out: callers never hold live references.
 *
 * @module store
 */
import { StoreError } from '../errors.js';
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
} from './user-store.js';

const copy = (r: UserRecord): UserRecord => ({
  ...r,
  lastlogon: r.lastlogon === null ? null : new Date(r.lastlogon),
  failedlastlogon: r.failedlastlogon === null ? null : new Date(r.failedlastlogon),
  created: new Date(r.created),
});

/** A UserStore in process memory. */
export class MemoryStore implements UserStore {
  readonly kind = 'memory' as const;
  private readonly users = new Map<string, UserRecord>();
  private readonly nonces = new Map<string, number>();
  private readonly registrations = new Map<string, ProviderRegistration>();
  private closed = false;

  private check(): void {
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'the memory store is closed');
  }

  async get(upn: string): Promise<UserRecord | undefined> {
    this.check();
    const r = this.users.get(upnKey(upn));
    return r === undefined ? undefined : copy(r);
  }

  async enrol(upn: string, secret: string, now: Date, profile: UserProfile = {}): Promise<UserRecord> {
    this.check();
    const key = upnKey(upn);
    const existing = this.users.get(key);
    const record: UserRecord =
      existing === undefined
        ? {
            upn: upn.trim(),
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
            created: new Date(now),
          }
        : {
            ...existing,
            secret,
            logon: 0,
            laststep: -1,
            failedlogoncount: 0,
            failedlastlogon: null,
            failedcode: null,
            email: profile.email ?? existing.email,
            mobile: profile.mobile ?? existing.mobile,
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
    this.check();
    const r = this.users.get(upnKey(upn));
    if (r === undefined) return { ok: false, reason: 'not_found' };
    if (!r.enabled) return { ok: false, reason: 'disabled', record: copy(r) };
    if (options.allowReuse ? step < r.laststep : step <= r.laststep) {
      return { ok: false, reason: 'reused', record: copy(r) };
    }
    const lock = options.lockout;
    if (
      lock !== undefined &&
      r.failedlogoncount >= lock.maxFailures &&
      r.failedlastlogon !== null &&
      r.failedlastlogon.getTime() > lock.lastFailureAfter.getTime()
    ) {
      return { ok: false, reason: 'locked', record: copy(r) };
    }
    const { ip, userAgent } = sanitiseMeta(meta);
    Object.assign(r, {
      laststep: step,
      logon: 1,
      lastlogon: new Date(now),
      logoncount: r.logoncount + 1,
      failedlogoncount: 0,
      logonip: ip,
      useragent: userAgent,
    });
    return { ok: true, record: copy(r) };
  }

  async recordFailure(
    upn: string,
    input: string,
    _meta: LogonMeta,
    now: Date,
    options: RecordFailureOptions = {},
  ): Promise<UserRecord | undefined> {
    this.check();
    const r = this.users.get(upnKey(upn));
    if (r === undefined) return undefined;
    const restart =
      options.restartIfLastFailureBefore !== undefined &&
      r.failedlastlogon !== null &&
      r.failedlastlogon.getTime() <= options.restartIfLastFailureBefore.getTime();
    r.failedlogoncount = restart ? 1 : r.failedlogoncount + 1;
    r.failedlastlogon = new Date(now);
    r.failedcode = sanitiseFailedCode(input);
    return copy(r);
  }

  private update(upn: string, change: (r: UserRecord) => void): boolean {
    this.check();
    const r = this.users.get(upnKey(upn));
    if (r === undefined) return false;
    change(r);
    return true;
  }

  async setEnabled(upn: string, enabled: boolean): Promise<boolean> {
    return this.update(upn, (r) => void (r.enabled = enabled));
  }

  async resetLogon(upn: string): Promise<boolean> {
    return this.update(upn, (r) => Object.assign(r, { logon: 0, laststep: -1 }));
  }

  async unlock(upn: string): Promise<boolean> {
    return this.update(upn, (r) => Object.assign(r, { failedlogoncount: 0, failedlastlogon: null }));
  }

  async setProfile(upn: string, profile: UserProfile): Promise<boolean> {
    return this.update(upn, (r) => {
      if (profile.email !== undefined) r.email = profile.email;
      if (profile.mobile !== undefined) r.mobile = profile.mobile;
    });
  }

  async replaceSecret(upn: string, expected: string, next: string): Promise<boolean> {
    this.check();
    const r = this.users.get(upnKey(upn));
    if (r === undefined || r.secret !== expected) return false;
    r.secret = next;
    return true;
  }

  async delete(upn: string): Promise<boolean> {
    this.check();
    return this.users.delete(upnKey(upn));
  }

  async list(options: ListUsersOptions = {}): Promise<UserRecord[]> {
    this.check();
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 500)), 10_000);
    const prefix = options.prefix?.trim().toLowerCase() ?? '';
    const after = options.after === undefined ? undefined : upnKey(options.after);
    return [...this.users.keys()]
      .sort()
      .filter((k) => (after === undefined || k > after) && k.startsWith(prefix))
      .slice(0, limit)
      .map((k) => copy(this.users.get(k)!));
  }

  async count(): Promise<number> {
    this.check();
    return this.users.size;
  }

  async rememberNonce(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    this.check();
    if (key.length === 0 || key.length > 200) throw new TypeError('"key" must be 1–200 characters');
    const seen = this.nonces.get(key);
    if (seen !== undefined && seen > now.getTime()) return false;
    this.nonces.set(key, expiresAt.getTime());
    if (this.nonces.size > 100_000) {
      for (const [k, exp] of this.nonces) if (exp <= now.getTime()) this.nonces.delete(k);
    }
    return true;
  }

  async register(registration: ProviderRegistration): Promise<void> {
    this.check();
    this.registrations.set(registration.provider, { ...registration, updated: new Date(registration.updated) });
  }

  async getRegistration(provider: string): Promise<ProviderRegistration | undefined> {
    this.check();
    const r = this.registrations.get(provider);
    return r === undefined ? undefined : { ...r, updated: new Date(r.updated) };
  }

  async unregister(provider: string): Promise<boolean> {
    this.check();
    return this.registrations.delete(provider);
  }

  async ping(): Promise<void> {
    this.check();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
