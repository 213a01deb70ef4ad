/**
 * The normalised configuration of each provider: the keys keep the manuals' snake_case spelling
 * (so the mapping to the file is obvious), the values have real types, every key has a value
 * (its default when absent), aliases are resolved. What each key means: docs/configuration.md.
 *
 * @module config
 */
import type { z } from 'zod';
import type { ProviderId } from '../adapter/provider-definition.js';
import type { apiOtpSchema } from './schema/api.js';
import type { AUTH_MODES } from './schema/common.js';
import type { emailOtpSchema } from './schema/email.js';
import type { qrOtpSchema } from './schema/qr.js';

export type { ProviderId } from '../adapter/provider-definition.js';

/** Where OTP data is stored. */
export type AuthMode = (typeof AUTH_MODES)[number];

/** Keys every provider file has. */
export interface CommonConfig {
  company: string;
  serialkey: string;
  subscriptionid: string;
  auth_mode: AuthMode;
  sqlserver: string;
  sqldbname: string;
  sqlintegratedsecurity: boolean;
  sqluseraccount: string;
  /** Secret. */
  sqluserpassword: string;
  sql_timeout_ms: number;
  sql_pool_size: number;
  sql_encrypt: boolean;
  sql_tls_ca_file: string;
  sql_trust_server_certificate: boolean;
  sqlite_path: string;
  /** Secret. */
  pg_connection_string: string;
  ldap_url: string;
  ldap_base_dn: string;
  ldap_bind_dn: string;
  /** Secret. */
  ldap_bind_password: string;
  ldap_tls_ca_file: string;
  ldap_tls_servername: string;
  ldap_timeout_ms: number;
  ldap_starttls: boolean;
  /** Always true in AD mode. */
  data_encryption: boolean;
  /** Secret. Alias `encryption_passphrase`. */
  data_encryption_passphrase: string;
  /** Secret. Exactly 16 bytes. */
  data_encryption_legacy_salt: string;
  ui_customization: boolean;
  /** Alias `login_text`. */
  ui_login_text: string;
  /** Alias `login_failures`; 0 disables lockout. */
  ui_login_failures: number;
  /** Alias `lockout_minutes`. */
  ui_lockout_minutes: number;
  totp_customization: boolean;
  totp_validity_seconds: number;
  totp_allow_reuse: boolean;
  verboselog: boolean;
  listen_host: string;
  listen_port: number;
  public_base_url: string;
  tls_cert_file: string;
  tls_key_file: string;
  /** Secret. */
  adapter_api_key: string;
  /** Relative to the config file's folder; empty = the built-in stylesheet. */
  theme_css_file: string;
  trusted_proxies: string[];
  rate_limit_per_ip_per_minute: number;
  rate_limit_per_user_per_minute: number;
  log_file: string;
  log_format: 'json' | 'text';
}

/** `SecureMfaEmailOtpProvider.json` (seeds 001, 002). */
export interface EmailOtpConfig extends CommonConfig {
  smtp_server: string;
  smtp_port: number;
  smtp_mailfrom: string;
  smtp_mailfrom_title: string;
  smtp_enablessl: boolean;
  smtp_username: string;
  /** Secret. */
  smtp_password: string;
  smtp_tls_ca_file: string;
  smtp_tls_servername: string;
  smtp_pool_size: number;
  smtp_remove_user_prefix: boolean;
  smtp_timeout_ms: number;
  /** Lower-cased domains / suffixes; empty = every domain. */
  ui_allowed_domains_for_otpcode: string[];
}

/** `SecureMfaApiOtpProvider.json` (seed 000). */
export interface ApiOtpConfig extends CommonConfig {
  api_endpoint: string;
  api_timeout: number;
  api_code_text: string;
  api_auth_endpoint_enabled: boolean;
  api_headers_key: string;
  /** Secret. */
  api_headers_value: string;
  api_allparams_inbody: boolean;
  api_text_content_type: 'application/json' | 'text/plain';
  api_customparams_enable: boolean;
  /**
   * The file's `api_customparams_<name>` keys: body key `<name>` → directory attribute
   * (e.g. `{ msid: 'mobile', naming: 'msDS-cloudExtensionAttribute10' }`).
   */
  api_customparams: Record<string, string>;
  proxy_enable: boolean;
  proxy_server: string;
  proxy_port: number;
}

/** `SecureMfaOtpProvider.json` (seed 003). */
export interface QrOtpConfig extends CommonConfig {
  ui_first_login_text: string;
  /** CIDRs or addresses, IPv4 and IPv6; empty = every network. */
  ui_allow_qr_display_from_networks: string[];
  totp_remove_user_prefix: boolean;
  totp_api_endpoint: string;
  totp_api_otpauth_advanced_params: string;
  totp_image_width_pixels: number;
  totp_image_height_pixels: number;
  win_portal_enable: boolean;
  /** Secret. */
  win_portal_passphrase: string;
  /** Secret. */
  api_headers_value: string;
  /** Seconds. */
  win_portal_max_clock_skew_seconds: number;
  win_portal_allow_sync: boolean;
}

/** The config type of each provider. */
export interface ConfigById {
  'email-otp': EmailOtpConfig;
  'api-otp': ApiOtpConfig;
  'qr-otp': QrOtpConfig;
}

/** Any provider's normalised config. */
export type ProviderConfig = ConfigById[ProviderId];

// Compile-time proof that the interfaces above are exactly what the schemas produce.
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type _EmailMatches = Assert<Equal<z.output<typeof emailOtpSchema>, EmailOtpConfig>>;
type _ApiMatches = Assert<
  Equal<z.output<typeof apiOtpSchema>, Omit<ApiOtpConfig, 'api_customparams'>>
>;
type _QrMatches = Assert<Equal<z.output<typeof qrOtpSchema>, QrOtpConfig>>;
