/**
 * Keys every provider file has: the licence fields (accepted, not enforced), the store, secret
 * encryption, lockout, UI text, TOTP, logging — and the provider host this project adds.
 *
 * `seeds` lists the manuals that document a key (000 API, 001/002 e-mail, 003 QR); a key
 * without `seeds` is added by this project (snake_case, like the manuals' keys).
 *
 * @see DESIGN.md "Configuration"
 * @module config
 */
import {
  boolish,
  choice,
  filePath,
  host,
  intish,
  list,
  secret,
  sqlServer,
  text,
  url,
} from '../coerce.js';
import { key } from './key.js';

/** Where OTP data is kept. SQL = Microsoft SQL Server, AD = Active Directory attributes. */
export const AUTH_MODES = ['SQL', 'AD', 'SQLITE', 'POSTGRES'] as const;

/**
 * The salt of legacy-format secrets when none is configured. Must equal crypto's
 * `DEFAULT_LEGACY_SALT` (a test checks it); it is NOT the originals' salt.
 */
export const DEFAULT_LEGACY_SALT = 'sMFA-legacy-salt';

/** Licence, store, encryption, lockout, UI and TOTP keys (before the provider's own keys). */
export const baseKeys = {
  company: key(text({ maxLength: 256 }), {
    description:
      'Organisation name: the issuer shown in authenticator apps and the name used in messages.',
    default: 'SecureMFA',
    seeds: '000 001 002 003',
  }),
  serialkey: key(text({ maxLength: 256 }), {
    description:
      'Licence serial of the original products. Accepted for compatibility and not used: every feature is available without a licence.',
    default: '',
    seeds: '000 001 002 003',
  }),
  subscriptionid: key(text({ maxLength: 256 }), {
    description: 'Licence subscription id of the original products. Accepted and not used.',
    default: '',
    seeds: '000 001 002',
  }),
  auth_mode: key(choice(AUTH_MODES), {
    description:
      'Where OTP data is stored: SQL (Microsoft SQL Server), AD (Active Directory sMFA-OTP-* attributes), SQLITE (embedded file) or POSTGRES. When absent: SQL if the file sets sqlserver (the originals before AD mode), else SQLITE.',
    default: 'SQLITE',
    seeds: '000 001 002',
  }),
  sqlserver: key(sqlServer(), {
    description:
      'SQL Server for auth_mode SQL: "host", "host,port" or "host\\instance" (JSON doubles the backslash: "host\\\\instance").',
    default: '',
    seeds: '000 001 002 003',
  }),
  sqldbname: key(text({ maxLength: 128 }), {
    description: 'SQL Server database name.',
    default: 'SecureMfaOTP',
    seeds: '000 001 002 003',
  }),
  sqlintegratedsecurity: key(boolish(), {
    description:
      'Windows integrated security for SQL Server. Windows only and not available to this Node provider: set false and use sqluseraccount / sqluserpassword.',
    default: false,
    seeds: '000 001 002 003',
  }),
  sqluseraccount: key(text({ maxLength: 256 }), {
    description: 'SQL login for auth_mode SQL when sqlintegratedsecurity is false.',
    default: '',
    seeds: '000 001 002 003',
  }),
  sqluserpassword: key(secret(), {
    description: 'Password of sqluseraccount.',
    default: '',
    secret: true,
    seeds: '000 001 002 003',
  }),
  sql_timeout_ms: key(intish(100, 600_000, 'ms'), {
    description:
      'Connect and query timeout for SQL Server and PostgreSQL, in milliseconds: an unreachable server fails within it.',
    default: 5000,
  }),
  sql_pool_size: key(intish(1, 100), {
    description:
      'Connections each provider node keeps open to SQL Server or PostgreSQL (a pool): concurrent sign-ins of one node run on separate connections.',
    default: 10,
  }),
  sql_encrypt: key(boolish(), {
    description:
      'Encrypt the connection to SQL Server (TLS). The server certificate is verified against sql_tls_ca_file, or Node’s CAs.',
    default: true,
  }),
  sql_tls_ca_file: key(filePath(), {
    description:
      'PEM file of the CA that issued the SQL Server certificate (default: Node’s CAs; relative paths: from the config file’s folder).',
    default: '',
  }),
  sql_trust_server_certificate: key(boolish(), {
    description:
      'Accept any SQL Server certificate without verifying it. Only for test servers with a self-signed certificate: prefer sql_tls_ca_file.',
    default: false,
  }),
  sqlite_path: key(filePath(), {
    description:
      "SQLite database file for auth_mode SQLITE (relative paths: from the config file's folder).",
    default: './securemfa.db',
  }),
  pg_connection_string: key(secret(), {
    description:
      'PostgreSQL connection for auth_mode POSTGRES: postgres://user:password@host:5432/db or "host=… dbname=…".',
    default: '',
    secret: true,
  }),
  ldap_url: key(url(['ldaps', 'ldap']), {
    description:
      'Directory for auth_mode AD and for user attributes (mail, mobile, api_customparams): ldaps://dc.example:636, or ldap://dc.example upgraded with StartTLS.',
    default: '',
  }),
  ldap_base_dn: key(text({ maxLength: 1024 }), {
    description: 'Where users are searched, e.g. DC=adatum,DC=labnet.',
    default: '',
  }),
  ldap_bind_dn: key(text({ maxLength: 1024 }), {
    description:
      'Account the provider binds as (a DN or user@domain). In AD mode it needs write access to the sMFA-OTP-* attributes.',
    default: '',
  }),
  ldap_bind_password: key(secret(), {
    description: 'Password of ldap_bind_dn.',
    default: '',
    secret: true,
  }),
  ldap_tls_ca_file: key(filePath(), {
    description: 'PEM file of the CA that issued the directory certificate (default: Node’s CAs).',
    default: '',
  }),
  ldap_tls_servername: key(host(), {
    description:
      'Name to verify in the directory certificate when it differs from the host in ldap_url.',
    default: '',
  }),
  ldap_timeout_ms: key(intish(100, 600_000, 'ms'), {
    description: 'Connect, bind and operation timeout for the directory, in milliseconds.',
    default: 5000,
  }),
  ldap_starttls: key(boolish(), {
    description:
      'Upgrade an ldap:// connection with StartTLS before binding (verified against ldap_tls_ca_file and ldap_tls_servername). Not with ldaps://, which is encrypted already.',
    default: false,
  }),
  data_encryption: key(boolish(), {
    description:
      'Encrypt TOTP secrets in the store (AES-256, keys derived from data_encryption_passphrase). Always on in AD mode.',
    default: false,
    seeds: '000 001 002 003',
  }),
  data_encryption_passphrase: key(secret(), {
    description:
      'Passphrase the secret encryption keys are derived from; the same on every node. Also needed to read encrypted values while data_encryption is false. Kept exactly as written, spaces included.',
    default: '',
    secret: true,
    seeds: '000 001 002 003',
    aliases: ['encryption_passphrase'],
  }),
  data_encryption_legacy_salt: key(secret({ exactBytes: 16 }), {
    description:
      'The 16-character salt of secrets encrypted by the original products (legacy format). Set it to your installation’s salt when you migrate such data; the default is not the originals’ salt.',
    default: DEFAULT_LEGACY_SALT,
    secret: true,
  }),
  ui_customization: key(boolish(), {
    description: 'Use the ui_* texts and restrictions of this file.',
    default: false,
    seeds: '000 001 002 003',
  }),
  ui_login_text: key(text({ multiline: true }), {
    description:
      'Text above the code field: simple HTML (links, bold, lists), sanitised. Needs ui_customization.',
    default: '',
    seeds: '000 001 002 003',
    aliases: ['login_text'],
  }),
  ui_login_failures: key(intish(0, 1000), {
    description:
      'Failed codes in a row that lock the OTP account for ui_lockout_minutes; 0 disables lockout.',
    default: 0,
    seeds: '000 001 002 003',
    aliases: ['login_failures'],
  }),
  ui_lockout_minutes: key(intish(0, 525_600, 'minutes'), {
    description: 'How long a lockout lasts, in minutes.',
    default: 5,
    seeds: '000 001 002 003',
    aliases: ['lockout_minutes'],
  }),
  totp_customization: key(boolish(), {
    description:
      'Use totp_validity_seconds (and, for QR, the totp_* QR settings) of this file; otherwise the defaults apply.',
    default: false,
    seeds: '000 001 002 003',
  }),
  totp_validity_seconds: key(intish(10, 86_400, 'seconds'), {
    description:
      'TOTP time step (RFC 6238 X) in seconds; a code is accepted in its step and one step either side. 30 keeps codes compatible with authenticator apps. Needs totp_customization.',
    default: 30,
    seeds: '000 001 002',
  }),
  totp_allow_reuse: key(boolish(), {
    description:
      'Accept the same code more than once within its validity (the default accepts each code once).',
    default: false,
    seeds: '000 001 002',
  }),
  verboselog: key(boolish(), {
    description: 'Log debug records for troubleshooting. Secrets and codes stay masked even then.',
    default: false,
    seeds: '000 001 002 003',
  }),
};

/**
 * Provider host, logging and rate-limit keys (after the provider's own keys).
 *
 * @param listenPort - the provider's default port
 * @returns the key schemas
 */
export function hostKeys(listenPort: number) {
  return {
    listen_host: key(host(), {
      description: 'Address the provider host listens on (0.0.0.0 or :: for every interface).',
      default: '127.0.0.1',
    }),
    listen_port: key(intish(1, 65_535), {
      description:
        'Port the provider host listens on (defaults: api-otp 8441, email-otp 8442, qr-otp 8443).',
      default: listenPort,
    }),
    public_base_url: key(url(['https', 'http']), {
      description:
        'External URL of this host behind a proxy or load balancer (the audience of hosted-page JWTs); default http(s)://listen_host:listen_port.',
      default: '',
    }),
    tls_cert_file: key(filePath(), {
      description: 'PEM certificate (chain): the host serves HTTPS when set, with tls_key_file.',
      default: '',
    }),
    tls_key_file: key(filePath(), {
      description: 'PEM private key of tls_cert_file.',
      default: '',
    }),
    adapter_api_key: key(secret(), {
      description:
        'Bearer key of the adapter API and signing key of hosted-page JWTs; at least 32 random characters. Empty: both are disabled.',
      default: '',
      secret: true,
    }),
    theme_css_file: key(filePath(), {
      description:
        'Stylesheet of the hosted page (/mfa) instead of the built-in one, e.g. the style.css of an exported AD FS web theme (at most 1 MiB; relative paths: from the config file’s folder). Read when the host starts (if the hosted page is on): an unreadable file stops it. The page’s CSP still allows only its own origin: images in the stylesheet must be data: URLs, and fonts or imports from elsewhere are not loaded.',
      default: '',
    }),
    trusted_proxies: key(list('network'), {
      description:
        'Proxies (addresses or CIDRs, ";"-separated) whose X-Forwarded-For header gives the client address; empty: the header is ignored.',
      default: [],
    }),
    rate_limit_per_ip_per_minute: key(intish(0, 1_000_000), {
      description: 'Requests per client address per minute on one node; 0 disables the limit.',
      default: 600,
    }),
    rate_limit_per_user_per_minute: key(intish(0, 1_000_000), {
      description: 'Sign-in requests (begin/end) per user per minute on one node; 0 disables.',
      default: 20,
    }),
    log_file: key(filePath(), {
      description: 'Also append log records to this file (JSON lines).',
      default: '',
    }),
    log_format: key(choice(['json', 'text'] as const), {
      description: 'Console log format: json (one record per line) or text (for people).',
      default: 'json',
    }),
  };
}
