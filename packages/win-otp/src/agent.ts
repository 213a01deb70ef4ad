/**
 * The workstation agent: validate a user's code online first, offline when the portal cannot
 * be reached and the user has an unexpired synced secret; sync a user's secret for offline use;
 * report its state. Every decision is logged with the seed's event IDs; codes and secrets never.
 *
 * Only an unreachable portal (no connection, a timeout within api_timeout, 502/503/504) falls
 * back to offline validation. An answer that does not verify (bad MAC, another state, stale
 * timestamp) is a rejection and event 5553 — a man in the middle gains nothing by tampering.
 *
 * @see seed 004; DESIGN.md "win-otp"
 * @module agent
 */
import { hostname } from 'node:os';
import {
  ConfigError,
  CryptoError,
  createWinEnvelope,
  EventId,
  evaluateLockout,
  type Logger,
  type WinEnvelope,
} from '@securemfa/core';
import type { AgentConfig } from './config/agent-keys.js';
import { joinAnchor, offlineCachePath, portalUrl, ssprUrl } from './config/derived-settings.js';
import { createOfflineCache, type OfflineCache } from './offline/offline-cache.js';
import {
  offlineExpiry,
  verifyOffline,
  type OfflineEntry,
  type OfflinePolicy,
} from './offline/offline-verify.js';
import {
  createPortalClient,
  type PortalClient,
  type PortalOutcome,
} from './portal/portal-client.js';
import { AGENT_VERSION } from './version.js';

/** Why a code was not accepted (or a sync failed). */
export type AgentFailure =
  // the portal's verdicts
  | 'invalid_code'
  | 'reused_code'
  | 'locked'
  | 'disabled'
  | 'expired'
  | 'not_enrolled'
  | 'sync_disabled'
  // the portal refused the message or the key, or its answer did not verify
  | 'message_rejected'
  | 'unauthorized'
  | 'rate_limited'
  | 'portal_error'
  // no portal
  | 'unreachable'
  | 'not_synced'
  | 'offline_expired'
  | 'cache_tampered';

/** Where a verdict came from. */
export type AgentMode = 'online' | 'offline' | 'none';

/** The outcome of {@link WinAgent.validate}. */
export type ValidateResult =
  | { ok: true; mode: 'online' | 'offline'; upn: string }
  | {
      ok: false;
      mode: AgentMode;
      upn: string;
      reason: AgentFailure;
      /** Offline lockout end. */
      lockedUntil?: Date | undefined;
      /** What happened, for logs and `--verbose` output (never a secret). */
      detail?: string | undefined;
    };

/** The outcome of {@link WinAgent.sync}. */
export type SyncResult =
  | { ok: true; upn: string; expiresAt: Date }
  | { ok: false; upn: string; reason: AgentFailure; detail?: string | undefined };

/** One synced user in {@link AgentStatus}. */
export interface CachedUserStatus {
  upn: string;
  syncedAt: Date;
  expiresAt: Date;
  expired: boolean;
  lockedUntil?: Date | undefined;
}

/** What `status` reports. */
export interface AgentStatus {
  configFile: string;
  apiEndpoint: string;
  portalUrl: string;
  ssprUrl: string;
  anchordnsname: string;
  rdpOnly: boolean;
  proxy: string | undefined;
  offline: {
    enabled: boolean;
    validDays: number;
    loginFailures: number;
    lockoutMinutes: number;
  };
  cache: {
    file: string;
    state: 'absent' | 'ok' | 'refused';
    users: CachedUserStatus[];
  };
  pam: { service: string; file: string } | undefined;
}

/** Options of {@link createWinAgent}. */
export interface WinAgentOptions {
  config: AgentConfig;
  /** The config file's absolute path (the cache default lives beside it). */
  configFile: string;
  logger: Logger;
  /** Clock (default `() => new Date()`); tests inject one to travel to the cache's expiry. */
  clock?: (() => Date) | undefined;
  /** Extra trusted CAs (PEM) for an https portal. */
  ca?: string | Buffer | undefined;
}

/** Facts about the session being authenticated. */
export interface ValidateMeta {
  /** The remote client (PAM_RHOST), sent to the portal for its log. */
  rhost?: string | undefined;
}

/** The agent. */
export interface WinAgent {
  /**
   * Validate a code: online, else offline.
   *
   * @throws {TypeError} when the user name is not usable
   */
  validate(user: string, code: string, meta?: ValidateMeta): Promise<ValidateResult>;
  /**
   * Fetch the user's secret for offline use with a valid code.
   *
   * @throws {ConfigError} when offline validation is disabled (totp_offline_secret_valid_days 0)
   * @throws {TypeError} when the user name is not usable
   */
  sync(user: string, code: string): Promise<SyncResult>;
  status(): Promise<AgentStatus>;
  /** The offline cache (uninstall removes it). */
  readonly cache: OfflineCache;
}

const ONLINE_REASONS: ReadonlySet<string> = new Set([
  'invalid_code',
  'reused_code',
  'locked',
  'disabled',
  'expired',
  'not_enrolled',
  'sync_disabled',
]);

/**
 * Create the agent.
 *
 * @param options - config, config file, logger, clock
 * @returns the agent
 * @example
 * ```ts
 * const agent = createWinAgent({ config, configFile, logger });
 * const r = await agent.validate('alice', '123456');
 * if (r.ok) console.log(`accepted (${r.mode})`);
 * ```
 */
export function createWinAgent(options: WinAgentOptions): WinAgent {
  const { config, configFile, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const envelope: WinEnvelope = createWinEnvelope({
    passphrase: config.data_encryption_passphrase,
  });
  const agentName = `win-otp/${AGENT_VERSION} ${hostname().slice(0, 64)}`;
  const client: PortalClient = createPortalClient({
    config,
    envelope,
    clock,
    agentName,
    ca: options.ca,
  });
  const cache = createOfflineCache({ file: offlineCachePath(config, configFile), envelope });
  const policy: OfflinePolicy = {
    maxFailures: config.totp_offline_ui_login_failures,
    lockoutMinutes: config.totp_offline_ui_lockout_minutes,
    validDays: config.totp_offline_secret_valid_days,
  };
  const offlineEnabled = policy.validDays > 0;

  /** Map a non-answer outcome to a failure, logging event 5553. */
  const portalFailure = (
    outcome: Exclude<PortalOutcome, { kind: 'answer' }>,
    upn: string,
  ): { reason: AgentFailure; detail: string } => {
    if (outcome.kind === 'tampered') {
      logger.event(EventId.ProviderFailure, 'the portal answer failed verification: rejected', {
        upn,
        reason: 'message_rejected',
        detail: outcome.detail,
      });
      return {
        reason: 'message_rejected',
        detail: `the portal answer failed verification (${outcome.detail})`,
      };
    }
    if (outcome.kind === 'unreachable') {
      logger.event(EventId.ProviderFailure, 'the portal is unreachable', {
        upn,
        reason: 'unreachable',
        detail: outcome.detail,
      });
      return { reason: 'unreachable', detail: `the portal is unreachable (${outcome.detail})` };
    }
    const reason: AgentFailure =
      outcome.status === 400 && outcome.error === 'invalid_message'
        ? 'message_rejected'
        : outcome.status === 401
          ? 'unauthorized'
          : outcome.status === 429
            ? 'rate_limited'
            : 'portal_error';
    logger.event(EventId.ProviderFailure, 'the portal refused the request', {
      upn,
      reason,
      detail: outcome.detail,
    });
    return { reason, detail: `the portal refused the request (${outcome.detail})` };
  };

  /** Advance the offline reuse guard after an online acceptance (best effort). */
  const noteOnlineStep = async (upn: string, laststep: number | undefined): Promise<void> => {
    if (!offlineEnabled || laststep === undefined) return;
    try {
      await cache.update((entries) => {
        const entry = entries.get(upn.toLowerCase());
        if (entry === undefined || entry.laststep >= laststep)
          return { result: undefined, changed: false };
        entries.set(upn.toLowerCase(), { ...entry, laststep });
        return { result: undefined, changed: true };
      });
    } catch (err) {
      logger.warn('could not record the online logon in the offline cache', {
        upn,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };

  const validateOffline = async (
    upn: string,
    code: string,
    why: string,
  ): Promise<ValidateResult> => {
    if (!offlineEnabled) {
      return { ok: false, mode: 'none', upn, reason: 'unreachable', detail: why };
    }
    const now = clock();
    let verdict: ReturnType<typeof verifyOffline> | undefined;
    try {
      verdict = await cache.update((entries) => {
        const entry = entries.get(upn.toLowerCase());
        if (entry === undefined) return { result: undefined, changed: false };
        const v = verifyOffline(entry, code, now, policy);
        const changed = v.ok || v.changed;
        if (changed) entries.set(upn.toLowerCase(), v.entry);
        return { result: v, changed };
      });
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      logger.event(
        EventId.ProviderFailure,
        'the offline cache was refused: altered or another passphrase',
        {
          upn,
          reason: 'cache_tampered',
          file: cache.file,
        },
      );
      return { ok: false, mode: 'offline', upn, reason: 'cache_tampered', detail: why };
    }
    if (verdict === undefined) {
      logger.event(
        EventId.OtpFailure,
        'OTP rejected: the portal is unreachable and the user is not synced',
        {
          upn,
          mode: 'offline',
          reason: 'not_synced',
        },
      );
      return { ok: false, mode: 'offline', upn, reason: 'not_synced', detail: why };
    }
    if (verdict.ok) {
      logger.event(EventId.OtpSuccess, 'OTP accepted offline', { upn, mode: 'offline' });
      return { ok: true, mode: 'offline', upn };
    }
    logger.event(EventId.OtpFailure, 'OTP rejected offline', {
      upn,
      mode: 'offline',
      reason: verdict.reason,
      ...(verdict.lockedUntil === undefined
        ? {}
        : { lockedUntil: verdict.lockedUntil.toISOString() }),
    });
    return {
      ok: false,
      mode: 'offline',
      upn,
      reason: verdict.reason,
      lockedUntil: verdict.lockedUntil,
      detail: why,
    };
  };

  return {
    cache,

    async validate(user, code, meta = {}) {
      const upn = joinAnchor(user, config.anchordnsname);
      const outcome = await client.call({ op: 'validate', upn, code, client_ip: meta.rhost });
      if (outcome.kind !== 'answer') {
        const failure = portalFailure(outcome, upn);
        if (failure.reason === 'unreachable') return validateOffline(upn, code, failure.detail);
        return { ok: false, mode: 'online', upn, reason: failure.reason, detail: failure.detail };
      }
      const { response } = outcome;
      if (response.ok) {
        logger.event(EventId.OtpSuccess, 'OTP accepted by the portal', { upn, mode: 'online' });
        await noteOnlineStep(upn, response.laststep);
        return { ok: true, mode: 'online', upn };
      }
      const reason: AgentFailure =
        response.reason !== undefined && ONLINE_REASONS.has(response.reason)
          ? (response.reason as AgentFailure)
          : 'portal_error';
      logger.event(EventId.OtpFailure, 'OTP rejected by the portal', {
        upn,
        mode: 'online',
        reason,
      });
      return { ok: false, mode: 'online', upn, reason };
    },

    async sync(user, code) {
      if (!offlineEnabled) {
        throw new ConfigError(
          'ERR_CONFIG_INVALID',
          'offline validation is disabled: totp_offline_secret_valid_days is 0',
          {
            file: configFile,
            hint: 'install again with --totp-offline-secret-valid-days N (N > 0) to allow offline logons',
          },
        );
      }
      const upn = joinAnchor(user, config.anchordnsname);
      const outcome = await client.call({ op: 'sync', upn, code });
      if (outcome.kind !== 'answer') {
        const failure = portalFailure(outcome, upn);
        return { ok: false, upn, ...failure };
      }
      const { response } = outcome;
      if (!response.ok || response.offline === undefined) {
        const reason: AgentFailure =
          !response.ok && response.reason !== undefined && ONLINE_REASONS.has(response.reason)
            ? (response.reason as AgentFailure)
            : 'portal_error';
        logger.event(EventId.OtpFailure, 'sync rejected by the portal', { upn, reason });
        return { ok: false, upn, reason };
      }
      const now = clock().getTime();
      const { secret, step, digits, algorithm } = response.offline;
      const entry: OfflineEntry = {
        upn,
        secret,
        step,
        digits,
        algorithm,
        laststep: response.laststep ?? Math.floor(now / 1000 / step),
        synced_at: now,
        expires_at: now + policy.validDays * 86_400_000,
        failed_count: 0,
        failed_last: null,
      };
      await cache.update(
        (entries) => {
          entries.set(upn.toLowerCase(), entry);
          return { result: undefined, changed: true };
        },
        { replaceTampered: true },
      );
      logger.event(EventId.OtpSuccess, 'OTP accepted by the portal (sync)', {
        upn,
        mode: 'online',
      });
      logger.event(EventId.ProviderSuccess, 'offline secret synced', {
        upn,
        expiresAt: new Date(entry.expires_at).toISOString(),
      });
      return { ok: true, upn, expiresAt: new Date(entry.expires_at) };
    },

    async status() {
      const now = clock();
      let state: AgentStatus['cache']['state'] = 'absent';
      const users: CachedUserStatus[] = [];
      try {
        const entries = await cache.read();
        if (entries.size > 0) state = 'ok';
        for (const e of entries.values()) {
          const expiresAt = offlineExpiry(e, policy.validDays);
          const lock = evaluateLockout(
            {
              failedlogoncount: e.failed_count,
              failedlastlogon: e.failed_last === null ? null : new Date(e.failed_last),
            },
            policy,
            now,
          );
          users.push({
            upn: e.upn,
            syncedAt: new Date(e.synced_at),
            expiresAt,
            expired: !offlineEnabled || now.getTime() >= expiresAt.getTime(),
            lockedUntil: lock.locked ? lock.until : undefined,
          });
        }
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        state = 'refused';
      }
      return {
        configFile,
        apiEndpoint: config.api_endpoint,
        portalUrl: portalUrl(config),
        ssprUrl: ssprUrl(config),
        anchordnsname: config.anchordnsname,
        rdpOnly: config.RDPonly,
        proxy: config.api_proxy_enable
          ? `${config.api_proxy_server}:${config.api_proxy_port}`
          : undefined,
        offline: {
          enabled: offlineEnabled,
          validDays: policy.validDays,
          loginFailures: policy.maxFailures,
          lockoutMinutes: policy.lockoutMinutes,
        },
        cache: { file: cache.file, state, users },
        pam:
          config.pam_service === ''
            ? undefined
            : { service: config.pam_service, file: config.pam_file },
      };
    },
  };
}
