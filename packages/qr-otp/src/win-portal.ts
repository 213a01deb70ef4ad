/**
 * The win-otp validation portal on the QR provider host: `POST /api/v1/win/validate`.
 *
 * ```
 * POST /api/v1/win/validate
 * x-api-key: <api_headers_value>
 * {"envelope": "w1.…"}            a sealed request (see @securemfa/core win-message)
 * → 200 {"envelope": "w1.…"}      the sealed answer, echoing the request's state
 * → 400 {"error": "invalid_message", …}   altered, replayed, stale or another passphrase (one answer for all)
 * → 401 {"error": "invalid_token", …}     missing or wrong x-api-key
 * → 429 / 503 as every host route
 * ```
 *
 * Enabled by `win_portal_enable`; the messages are sealed with `win_portal_passphrase`, or `data_encryption_passphrase` when that is empty (the
 * agents' `data_encryption_passphrase`); the seen-state replay cache is the store's
 * `rememberNonce`, shared by every node of a farm.
 *
 * @see seed 004; DESIGN.md "win-otp"
 * @module win-portal
 */
import {
  ConfigError,
  createSecretCipher,
  createWinEnvelope,
  CryptoError,
  EventId,
  openWinRequest,
  RequestError,
  constantTimeEqual,
  sealWinResponse,
  type ChannelContext,
  type QrOtpConfig,
  type WinOfflineSecret,
} from '@securemfa/core';
import type { HostContext, HostExtension } from '@securemfa/core/http';
import { handleWinRequest } from './win-portal-handler.js';

/** The portal's route. */
export const WIN_PORTAL_PATH = '/api/v1/win/validate';
/** The header agents authenticate with (its value is api_headers_value). */
export const WIN_API_KEY_HEADER = 'x-api-key';

const bodySchema = {
  body: {
    type: 'object',
    required: ['envelope'],
    additionalProperties: false,
    properties: { envelope: { type: 'string', minLength: 1, maxLength: 8192 } },
  },
} as const;

/**
 * The host extensions of the portal: none when `win_portal_enable` is off.
 *
 * @param context - the QR provider config, logger and clock
 * @param totp - the verifier's TOTP parameters (sent with a sync for offline validation)
 * @returns the extension list
 * @throws {ConfigError} when the portal is enabled without api_headers_value or win_portal_passphrase
 * @example
 * ```ts
 * hostExtensions: (context) => winPortalExtensions(context, qrTotpParameters(context.config)),
 * ```
 */
export function winPortalExtensions(
  context: ChannelContext<QrOtpConfig>,
  totp: Omit<WinOfflineSecret, 'secret'>,
): HostExtension[] {
  const { config, logger, clock } = context;
  if (!config.win_portal_enable) return [];
  // Seed 004: agents use the portal's data_encryption_passphrase; win_portal_passphrase, when
  // set, keeps the key of the stored secrets off the workstations.
  const passphrase =
    config.win_portal_passphrase !== ''
      ? config.win_portal_passphrase
      : config.data_encryption_passphrase;
  const missing =
    config.api_headers_value === ''
      ? 'api_headers_value'
      : passphrase === ''
        ? 'win_portal_passphrase'
        : undefined;
  if (missing !== undefined) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `${missing} is empty, but win_portal_enable is true`,
      {
        file: 'SecureMfaOtpProvider.json',
        hint:
          missing === 'api_headers_value'
            ? 'set api_headers_value, or set win_portal_enable to false'
            : 'set win_portal_passphrase (or data_encryption_passphrase), or set win_portal_enable to false',
      },
    );
  }
  logger.redactor.addSecrets([config.api_headers_value, passphrase]);
  const envelope = createWinEnvelope({ passphrase });
  const cipher = createSecretCipher({
    enabled: config.data_encryption,
    passphrase:
      config.data_encryption_passphrase === '' ? undefined : config.data_encryption_passphrase,
    legacySalt:
      config.data_encryption_legacy_salt === '' ? undefined : config.data_encryption_legacy_salt,
  });
  const apiKey = config.api_headers_value;
  const maxSkewSeconds = config.win_portal_max_clock_skew_seconds;

  const extension: HostExtension = async (app, host: HostContext) => {
    // PBKDF2 on the thread pool now, not on the event loop at the first request.
    await envelope.warmUp();

    const limitUser = (upn: string): void => {
      const key = upn.trim().toLowerCase();
      if (!host.perUser.take(key)) {
        host.metrics.rateLimited.inc({ scope: 'user' });
        const err = new RequestError(
          'ERR_RATE_LIMITED',
          429,
          'slow_down',
          'too many requests for this user',
        );
        Object.assign(err, { retryAfter: host.perUser.retryAfter(key) });
        throw err;
      }
    };

    app.post<{ Body: { envelope: string } }>(
      WIN_PORTAL_PATH,
      {
        schema: bodySchema,
        onRequest: async (request) => {
          const given = request.headers[WIN_API_KEY_HEADER];
          if (typeof given !== 'string' || !constantTimeEqual(given, apiKey)) {
            logger.event(
              EventId.ProviderFailure,
              'win-otp request with a missing or wrong x-api-key',
              {
                ip: request.ip,
                reason: 'unauthorized',
              },
            );
            throw new RequestError(
              'ERR_UNAUTHORIZED',
              401,
              'invalid_token',
              `missing or invalid ${WIN_API_KEY_HEADER} header`,
            );
          }
        },
      },
      async (request, reply) => {
        const now = clock();
        let message;
        try {
          message = await openWinRequest(envelope, request.body.envelope, {
            now,
            maxSkewSeconds,
            rememberState: (key, expiresAt) => host.store.rememberNonce(key, expiresAt, now),
          });
        } catch (err) {
          if (!(err instanceof CryptoError)) throw err;
          logger.event(EventId.ProviderFailure, 'win-otp message rejected', {
            ip: request.ip,
            reason: err.cause instanceof Error ? err.cause.message : 'rejected',
          });
          return reply.code(400).send({
            error: 'invalid_message',
            error_description: 'the message was rejected',
          });
        }
        const stop = host.metrics.latency.startTimer({ phase: `win_${message.op}` });
        try {
          const body = await handleWinRequest(
            message,
            { ip: request.ip },
            {
              adapter: host.adapter,
              store: host.store,
              cipher,
              logger,
              totp,
              allowSync: config.win_portal_allow_sync,
              beforeVerify: limitUser,
            },
          );
          host.metrics.logins.inc({ outcome: body.ok ? 'success' : (body.reason ?? 'failure') });
          void reply.header('cache-control', 'no-store');
          return {
            envelope: sealWinResponse(envelope, body, { state: message.state, now: clock() }),
          };
        } finally {
          stop();
        }
      },
    );
  };
  return [extension];
}
