/**
 * Cross-field rules (changesets' `Rule`): small named functions over the normalised config that
 * report errors (the provider cannot work as configured) and warnings (it works, but probably
 * not as intended, or not safely). A rule never puts a secret's value into a message.
 *
 * @see STYLE.md B.6 step 5
 * @module config
 */
import type { ProviderId } from '../adapter/provider-definition.js';
import { checkQrImageEndpoint, QR_IMAGE_ENDPOINT_HINT } from './qr-image-endpoint.js';
import type { ApiOtpConfig, CommonConfig, EmailOtpConfig, QrOtpConfig } from './types.js';

/** The normalised config as rules see it: common keys plus any provider's own keys. */
export type RuleConfig = CommonConfig &
  Partial<Omit<EmailOtpConfig, keyof CommonConfig>> &
  Partial<Omit<ApiOtpConfig, keyof CommonConfig>> &
  Partial<Omit<QrOtpConfig, keyof CommonConfig>>;

/** What a rule gets. */
export interface RuleContext {
  provider: ProviderId;
  /** Normalised values (defaults applied, aliases resolved). */
  config: RuleConfig;
  /** Keys written in the file (canonical spelling). */
  present: ReadonlySet<string>;
  /** Report a problem that stops the provider from working. */
  error(key: string, message: string): void;
  /** Report something that works but is probably not intended, or not safe. */
  warn(key: string, message: string): void;
}

/** A cross-field rule. */
export type Rule = (ctx: RuleContext) => void;

/**
 * Secrets printed in the vendor manuals (seed 000: passphrase and gateway keys; seeds 001/002:
 * the SMTP password example). Anyone can look them up.
 */
export const SAMPLE_SECRETS: ReadonlySet<string> = new Set([
  'd9GhT=7=Ox8-+LaZ',
  'V8UK9mBCgL6ztXtiJUurL3Fhn5Xjbejy1ZAhwokT',
  'V3UK6mUMgL6ztXtiJUurA3Fhn5Xjbejy1ZAhwokT',
  'userpassword',
]);

const SECRET_NAMES = [
  'sqluserpassword',
  'pg_connection_string',
  'ldap_bind_password',
  'data_encryption_passphrase',
  'adapter_api_key',
  'smtp_password',
  'api_headers_value',
  'win_portal_passphrase',
] as const satisfies readonly (keyof RuleConfig)[];

/** auth_mode SQL needs a server. */
export const sqlNeedsServer: Rule = ({ config, error }) => {
  if (config.auth_mode === 'SQL' && config.sqlserver === '') {
    error('sqlserver', 'is empty, but auth_mode is SQL: set your SQL Server as "host,port"');
  }
};

/** auth_mode SQL needs a SQL login; integrated security is Windows-only. */
export const sqlNeedsLogin: Rule = ({ config, error, warn }) => {
  if (config.auth_mode !== 'SQL') return;
  if (config.sqlintegratedsecurity) {
    // A warning, not an error: every manual's sample sets it, and the samples must load.
    warn(
      'sqlintegratedsecurity',
      'is true, but Windows integrated security is not available to this Node provider: set it to "false" and set sqluseraccount and sqluserpassword',
    );
    return;
  }
  if (config.sqluseraccount === '') {
    error('sqluseraccount', 'is empty, but sqlintegratedsecurity is false: set the SQL login');
  }
  if (config.sqluserpassword === '') {
    error('sqluserpassword', 'is empty, but sqlintegratedsecurity is false: set the SQL password');
  }
};

/** auth_mode SQLITE needs a file. */
export const sqliteNeedsPath: Rule = ({ config, error }) => {
  if (config.auth_mode === 'SQLITE' && config.sqlite_path === '') {
    error('sqlite_path', 'is empty, but auth_mode is SQLITE: set the database file');
  }
};

/** auth_mode POSTGRES needs a connection string of a known form. */
export const postgresNeedsConnection: Rule = ({ config, error }) => {
  const value = config.pg_connection_string;
  if (config.auth_mode === 'POSTGRES' && value === '') {
    error(
      'pg_connection_string',
      'is empty, but auth_mode is POSTGRES: set postgres://user:password@host:5432/db',
    );
  } else if (
    value !== '' &&
    !/^postgres(ql)?:\/\/\S+$/.test(value.trim()) &&
    !/^\s*\w+\s*=/.test(value)
  ) {
    error('pg_connection_string', 'expected a postgres:// URL or a "host=… dbname=…" string');
  }
};

/** auth_mode AD needs a directory to bind to (the originals used the server's domain membership). */
export const adNeedsDirectory: Rule = ({ config, error }) => {
  if (config.auth_mode !== 'AD') return;
  const needed = {
    ldap_url: 'the domain controller, e.g. ldaps://dc1.adatum.labnet',
    ldap_base_dn: 'where users are, e.g. DC=adatum,DC=labnet',
    ldap_bind_dn: 'the account with write access to sMFA-OTP-* attributes',
    ldap_bind_password: 'the password of ldap_bind_dn',
  } as const;
  for (const [name, what] of Object.entries(needed) as [keyof typeof needed, string][]) {
    if (config[name] === '') error(name, `is empty, but auth_mode is AD: set ${what}`);
  }
};

/**
 * AD mode always encrypts secrets ("AD mode doesn't support unencrypted secrets"), so it needs a
 * passphrase; an explicit `data_encryption: false` is overridden (the loader sets it true).
 *
 * @see seed 000 "Enable OTP Data Store in Microsoft Active Directory Attributes"
 */
export const adNeedsEncryption: Rule = ({ config, present, error, warn }) => {
  if (config.auth_mode !== 'AD') return;
  if (config.data_encryption_passphrase === '') {
    error(
      'data_encryption_passphrase',
      'is empty, but auth_mode is AD, which stores secrets encrypted only: set a passphrase (16 or more random characters)',
    );
  }
  if (present.has('data_encryption') && !config.data_encryption) {
    warn('data_encryption', 'is false, but AD mode always encrypts secrets: it is treated as true');
  }
};

/** data_encryption needs a passphrase. */
export const encryptionNeedsPassphrase: Rule = ({ config, error }) => {
  if (
    config.auth_mode !== 'AD' &&
    config.data_encryption &&
    config.data_encryption_passphrase === ''
  ) {
    error('data_encryption_passphrase', 'is empty, but data_encryption is true: set a passphrase');
  }
};

/** HTTPS needs both a certificate and its key. */
export const tlsNeedsPair: Rule = ({ config, error }) => {
  if (config.tls_cert_file !== '' && config.tls_key_file === '') {
    error('tls_key_file', 'is empty, but tls_cert_file is set: set the certificate’s private key');
  } else if (config.tls_key_file !== '' && config.tls_cert_file === '') {
    error('tls_cert_file', 'is empty, but tls_key_file is set: set the certificate');
  }
};

/** A host reachable from the network should not speak plain HTTP. */
export const exposedHostNeedsTls: Rule = ({ config, warn }) => {
  const loopback = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i.test(config.listen_host);
  if (!loopback && config.tls_cert_file === '') {
    warn(
      'listen_host',
      `is ${config.listen_host}, reachable from the network, without TLS: set tls_cert_file and tls_key_file, or listen on 127.0.0.1 behind a TLS proxy`,
    );
  }
};

/** The adapter key signs page JWTs: it must be long. */
export const adapterKeyLength: Rule = ({ config, warn }) => {
  if (config.adapter_api_key !== '' && config.adapter_api_key.length < 32) {
    warn('adapter_api_key', 'is shorter than 32 characters: use a long random value');
  }
};

/** Lockout: failures > 0 with 0 minutes locks nobody. */
export const lockoutNeedsMinutes: Rule = ({ config, warn }) => {
  if (config.ui_login_failures > 0 && config.ui_lockout_minutes === 0) {
    warn(
      'ui_lockout_minutes',
      'is 0, so nobody is locked out although ui_login_failures is set; set the minutes, or set ui_login_failures to 0 to disable lockout',
    );
  }
};

/** UI settings apply only with ui_customization (as in the manuals): say so when they are set. */
export const uiSettingsNeedCustomization: Rule = ({ config, warn }) => {
  if (config.ui_customization) return;
  const set: [string, boolean][] = [
    ['ui_login_text', config.ui_login_text !== ''],
    ['ui_first_login_text', (config.ui_first_login_text ?? '') !== ''],
    ['ui_allowed_domains_for_otpcode', (config.ui_allowed_domains_for_otpcode ?? []).length > 0],
    [
      'ui_allow_qr_display_from_networks',
      (config.ui_allow_qr_display_from_networks ?? []).length > 0,
    ],
  ];
  for (const [name, isSet] of set) {
    if (isSet) warn(name, 'is set, but has no effect while ui_customization is false');
  }
};

/** totp_validity_seconds applies only with totp_customization. */
export const totpSettingsNeedCustomization: Rule = ({ config, warn }) => {
  if (config.totp_customization) return;
  if (config.totp_validity_seconds !== 30) {
    warn(
      'totp_validity_seconds',
      'is set, but has no effect while totp_customization is false (30 is used)',
    );
  }
  if ((config.totp_api_endpoint ?? '') !== '') {
    warn('totp_api_endpoint', 'is set, but has no effect while totp_customization is false');
  }
};

/**
 * An external QR service in use (`totp_customization` on, `totp_api_endpoint` set) must take the
 * appended otpauth URI as an image URL of its own origin — an error otherwise, the same check the
 * QR channel makes; when it can, it learns every enrolment secret: a warning.
 */
export const externalQrService: Rule = ({ config, error, warn }) => {
  const endpoint = config.totp_api_endpoint ?? '';
  if (!config.totp_customization || endpoint === '') return;
  const checked = checkQrImageEndpoint(endpoint);
  if (!checked.ok) {
    // The endpoint as shown has no credentials, path or query: they may hold the service's key.
    error(
      'totp_api_endpoint',
      `got "${checked.shown}", which ${checked.message}; ${QR_IMAGE_ENDPOINT_HINT}`,
    );
    return;
  }
  warn(
    'totp_api_endpoint',
    'sends every enrolment secret to an external service; leave it empty to draw QR codes locally',
  );
};

/** otpauth parameters the provider does not verify with make apps produce codes that never match. */
export const otpauthParamsMatchVerifier: Rule = ({ config, warn }) => {
  const params = new URLSearchParams(
    (config.totp_api_otpauth_advanced_params ?? '').replace(/^&/, ''),
  );
  const algorithm = params.get('algorithm');
  const digits = params.get('digits');
  const period = params.get('period');
  const step = config.totp_customization ? config.totp_validity_seconds : 30;
  if (algorithm !== null && algorithm.toUpperCase() !== 'SHA1') {
    warn(
      'totp_api_otpauth_advanced_params',
      `asks apps for ${algorithm}, but codes are verified with SHA1`,
    );
  }
  if (digits !== null && digits !== '6') {
    warn('totp_api_otpauth_advanced_params', `asks apps for ${digits} digits, but codes have 6`);
  }
  if (period !== null && Number(period) !== step) {
    warn(
      'totp_api_otpauth_advanced_params',
      `asks apps for a ${period}-second period, but the step is ${step} seconds`,
    );
  }
};

/** The e-mail channel needs a server; an empty sender is refused by many servers. */
export const smtpNeedsServer: Rule = ({ provider, config, warn }) => {
  if (provider !== 'email-otp') return;
  if (config.smtp_server === '')
    warn('smtp_server', 'is empty: no code can be sent until it is set');
  if (config.smtp_mailfrom === '') {
    warn(
      'smtp_mailfrom',
      'is empty: many SMTP servers refuse mail without a sender address; set one',
    );
  }
};

/** SMTP credentials come in pairs and should travel over TLS. */
export const smtpCredentials: Rule = ({ provider, config, warn }) => {
  if (provider !== 'email-otp') return;
  const user = config.smtp_username ?? '';
  const password = config.smtp_password ?? '';
  if (user === '' && password !== '') {
    warn('smtp_password', 'is set, but smtp_username is empty: the password is not used');
  } else if (user !== '' && password === '') {
    warn('smtp_password', 'is empty, but smtp_username is set');
  }
  if (user !== '' && config.smtp_enablessl !== true) {
    warn(
      'smtp_enablessl',
      'is false, but smtp_username is set: the password would travel without TLS',
    );
  }
};

/** The API channel needs an endpoint; https keeps codes private. */
export const apiNeedsEndpoint: Rule = ({ provider, config, warn }) => {
  if (provider !== 'api-otp') return;
  const endpoint = config.api_endpoint ?? '';
  if (endpoint === '') warn('api_endpoint', 'is empty: no code can be sent until it is set');
  else if (endpoint.toLowerCase().startsWith('http://')) {
    warn(
      'api_endpoint',
      'uses http://: codes (and the api_headers_value header) travel without TLS',
    );
  }
};

/** Gateway authentication needs the header value. */
export const apiAuthNeedsHeader: Rule = ({ provider, config, error }) => {
  if (
    provider === 'api-otp' &&
    config.api_auth_endpoint_enabled === true &&
    config.api_headers_value === ''
  ) {
    error(
      'api_headers_value',
      'is empty, but api_auth_endpoint_enabled is true: set the gateway key',
    );
  }
};

/** Custom attributes are sent only in a JSON body, and only when some are configured. */
export const apiCustomParamsUsable: Rule = ({ provider, config, warn }) => {
  if (provider !== 'api-otp' || config.api_customparams_enable !== true) return;
  if (config.api_allparams_inbody !== true) {
    warn(
      'api_customparams_enable',
      'is true, but custom attributes are sent only when api_allparams_inbody is true',
    );
  }
  if (Object.keys(config.api_customparams ?? {}).length === 0) {
    warn('api_customparams_enable', 'is true, but no api_customparams_<name> keys are set');
  }
};

/** A proxy needs a server. */
export const proxyNeedsServer: Rule = ({ provider, config, error }) => {
  if (provider === 'api-otp' && config.proxy_enable === true && config.proxy_server === '') {
    error('proxy_server', 'is empty, but proxy_enable is true: set the proxy host');
  }
};

/** The win-otp portal authenticates agents and encrypts its messages. */
export const winPortalNeedsSecrets: Rule = ({ provider, config, error, warn }) => {
  if (provider !== 'qr-otp' || config.win_portal_enable !== true) return;
  if (config.api_headers_value === '') {
    error(
      'api_headers_value',
      'is empty, but win_portal_enable is true: set the key agents authenticate with',
    );
  }
  if (config.win_portal_passphrase === '') {
    if (config.data_encryption_passphrase === '') {
      error(
        'win_portal_passphrase',
        'is empty, and so is data_encryption_passphrase, but win_portal_enable is true: set the agents’ message passphrase',
      );
    } else {
      // Seed 004: the agents are installed with the portal's data_encryption_passphrase. It works,
      // but every workstation then holds the key of the stored secrets.
      warn(
        'win_portal_passphrase',
        'is empty: the portal uses data_encryption_passphrase for agent messages (as the manual does), so every workstation holds the key of the stored secrets; set a separate win_portal_passphrase',
      );
    }
  } else if (config.win_portal_passphrase === config.data_encryption_passphrase) {
    warn(
      'win_portal_passphrase',
      'equals data_encryption_passphrase: every workstation would hold the key of the stored secrets; use a different one',
    );
  }
};

/** The manuals' sample secrets are public. */
export const noSampleSecrets: Rule = ({ config, warn }) => {
  for (const name of SECRET_NAMES) {
    const value = config[name];
    if (typeof value === 'string' && SAMPLE_SECRETS.has(value.trim())) {
      warn(
        name,
        'is the sample value printed in the vendor manuals: anyone can look it up, you MUST change it',
      );
    }
  }
};

/** Spaces around a secret are kept (they may have encrypted existing data), but are suspicious. */
export const secretSpaces: Rule = ({ config, warn }) => {
  for (const name of [...SECRET_NAMES, 'data_encryption_legacy_salt'] as const) {
    const value = config[name];
    if (typeof value === 'string' && value !== value.trim()) {
      warn(
        name,
        'has spaces at the start or end: they are kept as part of the value; remove them unless intended',
      );
    }
  }
};

/** Every rule, in reporting order. */
export const RULES: readonly Rule[] = [
  sqlNeedsServer,
  sqlNeedsLogin,
  sqliteNeedsPath,
  postgresNeedsConnection,
  adNeedsDirectory,
  adNeedsEncryption,
  encryptionNeedsPassphrase,
  tlsNeedsPair,
  exposedHostNeedsTls,
  adapterKeyLength,
  lockoutNeedsMinutes,
  uiSettingsNeedCustomization,
  totpSettingsNeedCustomization,
  externalQrService,
  otpauthParamsMatchVerifier,
  smtpNeedsServer,
  smtpCredentials,
  apiNeedsEndpoint,
  apiAuthNeedsHeader,
  apiCustomParamsUsable,
  proxyNeedsServer,
  winPortalNeedsSecrets,
  noSampleSecrets,
  secretSpaces,
];
