/**
 * The composition root of a provider: from a loaded config and a provider definition to a ready
 * adapter — store, secret cipher, TOTP engine, context sealer, presenter, directory, channel.
 * The directory is AD/LDAP when `auth_mode` is AD or `ldap_url` is set, else the store itself
 * (DESIGN "directory").
 * `serve`, `verify`, integrations and the end-to-end tests all build a provider through here, so
 * what they test is what runs.
 *
 * @see DESIGN.md "@securemfa/core"
 * @module runtime
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  createAdapter,
  OTP_AUTH_METHOD,
  UPN_CLAIM,
  type Adapter,
  type AdapterMetadata,
  type ContextSealer,
  type TotpEngine,
} from '../adapter/adapter.js';
import type { DeliveryChannel, DeliveryReceipt } from '../adapter/delivery-channel.js';
import { createContextSealer, createTotpEngine } from '../adapter/engines.js';
import { createPresenter } from '../adapter/i18n-presenter.js';
import type { Presenter } from '../adapter/presenter.js';
import type { ProviderDefinition, ProviderId } from '../adapter/provider-definition.js';
import type { ProviderConfig } from '../config/types.js';
import { createSecretCipher, type SecretCipher } from '../crypto/secret-cipher.js';
import type { Directory } from '../directory/directory.js';
import { directoryOptionsFromConfig, openDirectory } from '../directory/open-directory.js';
import { sanitiseUiText } from '../http/page/sanitise-ui-text.js';
import { methodTexts } from '../i18n/metadata.js';
import type { LockoutPolicy } from '../lockout/lockout.js';
import type { Logger } from '../log/logger.js';
import { openStore, storeOptionsFromConfig } from '../store/open-store.js';
import type { UserStore } from '../store/user-store.js';

/** Default step when totp_customization is off (the manuals: 30 seconds). */
const DEFAULT_STEP = 30;
/** How long a begun sign-in may take before `end` answers `expired` (seconds). */
export const CONTEXT_TTL_SECONDS = 600;

/** Options of {@link createProviderRuntime}. */
export interface ProviderRuntimeOptions<C extends ProviderConfig> {
  definition: ProviderDefinition<C>;
  /** The loaded, normalised config. */
  config: C;
  /** Folder relative paths in the config resolve against (the config file's). */
  configDir: string;
  logger: Logger;
  /** Apply pending store migrations on open (default: the backend's default). */
  migrate?: boolean | undefined;
  /** An already open store to use instead of opening one from the config (tests, tools). */
  store?: UserStore | undefined;
  /**
   * An already open directory to use instead of the configured one (tests, integrations).
   * Default: AD/LDAP when `auth_mode` is AD or `ldap_url` is set, else the store itself.
   * An injected directory is not closed by `close()`.
   */
  directory?: Directory | undefined;
  clock?: (() => Date) | undefined;
}

/** A composed provider. */
export interface ProviderRuntime<C extends ProviderConfig = ProviderConfig> {
  definition: ProviderDefinition<C>;
  config: C;
  logger: Logger;
  store: UserStore;
  cipher: SecretCipher;
  totp: TotpEngine;
  sealer: ContextSealer;
  directory: Directory;
  channel: DeliveryChannel;
  adapter: Adapter;
  lockout: LockoutPolicy;
  /**
   * The farm key behind sealed contexts, hosted-page JWTs and page state: adapter_api_key, or —
   * when that is empty — a random key of this process (contexts then finish on this node only).
   */
  farmKey: string;
  /** Close the channel, the directory and the store (idempotent). */
  close(): Promise<void>;
}

/**
 * The key that seals authentication contexts: derived from the farm key so that a context
 * token never verifies as a page JWT or the other way round.
 */
function contextKey(farmKey: string): string {
  return createHmac('sha256', farmKey).update('securemfa/context-seal/v1').digest('base64url');
}

/** Added to a channel's own delivery budget before the adapter aborts it (ms). */
const DELIVERY_MARGIN_MS = 1000;

/**
 * The adapter's delivery deadline for a send channel that states its own budget
 * (`SendChannel.deliveryTimeoutMs`, e.g. the API channel: api_timeout × attempts): that plus a
 * small margin, so the channel's bounded retries run to the end and report their reason instead
 * of being cut by the adapter's default 10 s.
 */
function channelTimeout(channel: DeliveryChannel): number | undefined {
  if (channel.mode !== 'send') return undefined;
  const budget = channel.deliveryTimeoutMs;
  return typeof budget === 'number' && Number.isInteger(budget) && budget > 0
    ? budget + DELIVERY_MARGIN_MS
    : undefined;
}

/**
 * The presenter with one addition: when a channel hands back text for the user with a
 * successful delivery (`receipt.userMessage`, e.g. the API gateway's sanitised HTTP 200 body, as
 * the originals show it), it follows the "code sent" message.
 */
function withReceiptText(presenter: Presenter): Presenter {
  return {
    ...presenter,
    codeSent(lang: string, receipt: DeliveryReceipt, validUntil: Date) {
      const shown = presenter.codeSent(lang, receipt, validUntil);
      const extra = receipt.userMessage?.trim() ?? '';
      return extra === '' ? shown : { ...shown, message: `${shown.message} ${extra}` };
    },
  };
}

/**
 * The adapter metadata of a provider: the OTP authentication method, the UPN identity claim,
 * and the friendly names and descriptions in every supported language.
 *
 * @param provider - provider id
 * @returns the metadata served at GET /adapter/metadata
 */
export function providerMetadata(provider: ProviderId): AdapterMetadata {
  const texts = methodTexts(provider);
  return {
    authenticationMethods: [OTP_AUTH_METHOD],
    identityClaims: [UPN_CLAIM],
    friendlyNames: { ...texts.friendlyNames },
    descriptions: { ...texts.descriptions },
    availableLcids: [...texts.availableLcids],
  };
}

/**
 * Build a provider from its config.
 *
 * @param options - definition, config, config folder, logger, store (optional), clock
 * @returns the runtime; call `close()` when done
 * @throws {StoreError} when the store cannot be opened (unreachable, schema too new…)
 * @throws {CryptoError} when the secret cipher cannot be built from the config
 * @throws {DirectoryError} when AD/LDAP is configured (auth_mode AD or ldap_url) but incomplete,
 *   or its CA file cannot be read
 * @example
 * ```ts
 * const { config } = await loadConfig('qr-otp', { file });
 * const runtime = await createProviderRuntime({ definition: qrOtpProvider, config, configDir, logger });
 * const begun = await runtime.adapter.begin('alice@example.com', { ip });
 * ```
 */
export async function createProviderRuntime<C extends ProviderConfig>(
  options: ProviderRuntimeOptions<C>,
): Promise<ProviderRuntime<C>> {
  const { definition, config, logger } = options;
  const clock = options.clock ?? (() => new Date());

  const cipher = createSecretCipher({
    enabled: config.data_encryption,
    passphrase:
      config.data_encryption_passphrase === '' ? undefined : config.data_encryption_passphrase,
    legacySalt:
      config.data_encryption_legacy_salt === '' ? undefined : config.data_encryption_legacy_salt,
  });
  const params = definition.totpParameters?.(config) ?? {};
  const totp = createTotpEngine({
    step: params.step ?? (config.totp_customization ? config.totp_validity_seconds : DEFAULT_STEP),
    digits: params.digits,
    algorithm: params.algorithm,
  });

  let farmKey = config.adapter_api_key;
  if (farmKey === '') {
    farmKey = randomBytes(32).toString('base64url');
    logger.warn(
      'adapter_api_key is empty: the adapter API and the hosted page are off, and sign-ins begun on this node can only be finished on this node',
    );
  }
  logger.redactor.addSecrets([farmKey]);
  const sealer = createContextSealer({
    secret: contextKey(farmKey),
    audience: definition.id,
    ttlSeconds: CONTEXT_TTL_SECONDS,
  });

  const store =
    options.store ??
    (await openStore(
      storeOptionsFromConfig(config, {
        cwd: options.configDir,
        ...(options.migrate === undefined ? {} : { migrate: options.migrate }),
      }),
    ));
  let directory: Directory;
  try {
    directory =
      options.directory ??
      (await openDirectory(directoryOptionsFromConfig(config, { cwd: options.configDir }), {
        store,
      }));
  } catch (err) {
    if (options.store === undefined) await store.close();
    throw err;
  }
  const closeDirectory = async (): Promise<void> => {
    if (options.directory === undefined) await directory.close().catch(() => undefined);
  };
  let channel: DeliveryChannel;
  try {
    channel = await definition.createChannel({ config, logger, clock });
  } catch (err) {
    await closeDirectory();
    if (options.store === undefined) await store.close();
    throw err;
  }
  const lockout: LockoutPolicy = {
    maxFailures: config.ui_login_failures,
    lockoutMinutes: config.ui_lockout_minutes,
  };
  const loginHtml =
    config.ui_customization && config.ui_login_text !== ''
      ? sanitiseUiText(config.ui_login_text)
      : undefined;
  const adapter = createAdapter({
    store,
    channel,
    totp,
    codec: cipher,
    sealer,
    presenter: withReceiptText(createPresenter({ loginHtml })),
    metadata: providerMetadata(definition.id),
    lockout,
    allowReuse: config.totp_allow_reuse,
    logger,
    directory,
    ...(channelTimeout(channel) === undefined ? {} : { channelTimeoutMs: channelTimeout(channel) }),
    clock,
  });

  let closed: Promise<void> | undefined;
  return {
    definition,
    config,
    logger,
    store,
    cipher,
    totp,
    sealer,
    directory,
    channel,
    adapter,
    lockout,
    farmKey,
    close() {
      closed ??= (async () => {
        if (channel.mode === 'send') await channel.close().catch(() => undefined);
        await closeDirectory();
        if (options.store === undefined) await store.close();
      })();
      return closed;
    },
  };
}
