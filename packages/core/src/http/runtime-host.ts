/**
 * The provider host of a composed runtime, configured from the provider's config: listen
 * address, TLS, adapter API key, trusted proxies, rate limits, the hosted page (when
 * adapter_api_key is long enough to sign with; its stylesheet from theme_css_file) and, for
 * `serve --demo`, the demo routes.
 *
 * @see DESIGN.md "HTTP provider host"
 * @module http
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { MIN_PAGE_JWT_KEY_BYTES } from '../crypto/page-jwt.js';
import { ConfigError } from '../errors.js';
import { negotiateLanguage } from '../i18n/negotiate.js';
import type { ProviderRuntime } from '../runtime/provider-runtime.js';
import { createProviderHost, type HostExtension } from './create-host.js';
import { demoRoutes } from './page/demo-routes.js';
import { hostedPage, pagePaths } from './page/register-page.js';

/** Options of {@link createRuntimeHost}. */
export interface RuntimeHostOptions {
  /** Folder relative file paths (tls_cert_file, tls_key_file, theme_css_file) resolve against. */
  configDir: string;
  /** The config file, for messages (default: the provider's file name). */
  configFile?: string | undefined;
  /** Add `/demo` for these users (`serve --demo`). */
  demoUsers?: readonly string[] | undefined;
  /** Port override (`serve --port`). */
  port?: number | undefined;
  /** Record process metrics (default true). */
  processMetrics?: boolean | undefined;
}

/** A built (not yet listening) host and where it will listen. */
export interface RuntimeHost {
  app: FastifyInstance;
  host: string;
  port: number;
  /** `http(s)://host:port` as configured (before listening; port 0 is resolved by `listen`). */
  protocol: 'http' | 'https';
  /** Whether the hosted page is mounted (adapter_api_key of 16+ bytes). */
  hostedPage: boolean;
  /** The hosted page's audience (requests' `aud`). */
  audience: string;
}

/** A file key's path: absolute as written, relative ones from the config file's folder. */
function configPath(configDir: string, file: string): string {
  return resolve(configDir, file);
}

async function readPem(configDir: string, key: string, file: string): Promise<Buffer> {
  const path = configPath(configDir, file);
  try {
    return await readFile(path);
  } catch (err) {
    throw new ConfigError('ERR_CONFIG_NOT_FOUND', `${key}: cannot read "${path}"`, {
      file: path,
      cause: err,
      hint: `point ${key} at a readable PEM file, or clear tls_cert_file and tls_key_file to serve plain HTTP behind a TLS proxy`,
    });
  }
}

/**
 * Build the host of a runtime from its config.
 *
 * @param runtime - the composed provider
 * @param options - config folder, demo users, port override
 * @returns the fastify app (call `app.listen({ host, port })`) and facts for messages
 * @throws {ConfigError} when TLS files cannot be read or only one of them is set, or when the
 *   hosted page is on and theme_css_file cannot be read
 */
export async function createRuntimeHost(
  runtime: ProviderRuntime,
  options: RuntimeHostOptions,
): Promise<RuntimeHost> {
  const { config, definition, logger } = runtime;
  const port = options.port ?? config.listen_port;
  let https: { key: Buffer; cert: Buffer } | undefined;
  if ((config.tls_cert_file === '') !== (config.tls_key_file === '')) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      'tls_cert_file and tls_key_file must be set together (HTTPS) or both left empty (HTTP)',
      {
        file: options.configFile ?? definition.configFileName,
        hint: 'set both PEM files, or clear both',
      },
    );
  }
  if (config.tls_cert_file !== '') {
    https = {
      cert: await readPem(options.configDir, 'tls_cert_file', config.tls_cert_file),
      key: await readPem(options.configDir, 'tls_key_file', config.tls_key_file),
    };
  }
  const protocol = https === undefined ? 'http' : 'https';
  const base =
    config.public_base_url !== '' ? config.public_base_url.replace(/\/+$/, '') : undefined;
  const audience = base === undefined ? definition.id : `${base}${pagePaths().page}`;

  const pageKey = config.adapter_api_key;
  const pageOn = Buffer.byteLength(pageKey, 'utf8') >= MIN_PAGE_JWT_KEY_BYTES;
  const extensions: HostExtension[] = [];
  if (pageOn) {
    extensions.push(
      hostedPage({
        secret: pageKey,
        audience,
        company: config.company,
        themeCssFile:
          config.theme_css_file === ''
            ? undefined
            : configPath(options.configDir, config.theme_css_file),
        uiLoginText: config.ui_customization ? config.ui_login_text : undefined,
        uiFirstLoginText:
          config.ui_customization && 'ui_first_login_text' in config
            ? config.ui_first_login_text
            : undefined,
        codeDigits: runtime.totp.digits,
      }),
    );
    if (options.demoUsers !== undefined && options.demoUsers.length > 0) {
      extensions.push(
        demoRoutes({
          secret: pageKey,
          audience,
          users: options.demoUsers,
          company: config.company,
          ...(base === undefined ? {} : { publicBaseUrl: base }),
        }),
      );
    }
  } else {
    logger.warn(
      `the hosted page (/mfa) is off: adapter_api_key must be at least ${MIN_PAGE_JWT_KEY_BYTES} bytes to sign page requests`,
    );
  }
  const channelContext = { config, logger, clock: () => new Date() };
  for (const extend of definition.hostExtensions?.(channelContext) ?? []) extensions.push(extend);

  const app = await createProviderHost({
    adapter: runtime.adapter,
    store: runtime.store,
    logger,
    apiKey: config.adapter_api_key,
    negotiate: (explicit, acceptLanguage) => negotiateLanguage(acceptLanguage, explicit),
    limits: {
      perIpPerMinute: config.rate_limit_per_ip_per_minute,
      perUserPerMinute: config.rate_limit_per_user_per_minute,
    },
    trustedProxies: config.trusted_proxies,
    https,
    imageOrigins: definition.imageOrigins?.(config) ?? [],
    extensions,
    processMetrics: options.processMetrics ?? true,
  });
  return { app, host: config.listen_host, port, protocol, hostedPage: pageOn, audience };
}
