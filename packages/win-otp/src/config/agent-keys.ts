/**
 * The agent's configuration keys: the seed's install parameters (seed 004, spelled as the
 * manual spells them) plus the few this project adds. One table drives parsing, the CLI flags
 * of `install` (the key in kebab-case), masking and the README.
 *
 * @see seed 004 "Available parameters"
 * @module config
 */

/** How a key's value is read. */
export type AgentKeyType = 'bool' | 'int' | 'text' | 'url' | 'secret' | 'host' | 'path' | 'name';

/** One key. */
export interface AgentKey {
  type: AgentKeyType;
  /** Value when absent. */
  default: string | number | boolean;
  description: string;
  /** `install` flag (without the dashes). */
  flag: string;
  /** Inclusive bounds of an `int`. */
  min?: number;
  max?: number;
  unit?: string;
  /** Never printed or logged. */
  secret?: boolean;
  /** A seed parameter (else a key this project adds). */
  seed?: boolean;
  /** Other spellings accepted in the file. */
  aliases?: readonly string[];
}

/** Every key, in the order `install` writes them. */
export const AGENT_KEYS = {
  anchordnsname: {
    type: 'name',
    default: '',
    flag: 'anchordnsname',
    seed: true,
    description:
      'Suffix joined to a user name without a domain (user → user@anchordnsname); the UPN suffix of the portal’s users.',
  },
  api_endpoint: {
    type: 'url',
    default: '',
    flag: 'api-endpoint',
    seed: true,
    description:
      'The portal: the qr-otp host’s base URL (https://mfa.adatum.labnet); /api/v1/win/validate is appended unless already there. Required.',
  },
  api_timeout: {
    type: 'int',
    default: 5000,
    min: 100,
    max: 120_000,
    unit: 'ms',
    flag: 'api-timeout',
    seed: true,
    description:
      'Upper bound of one portal call; when it passes (or the portal cannot be reached) the agent validates offline if it can.',
  },
  sspr_url: {
    type: 'url',
    default: '',
    flag: 'sspr-url',
    seed: true,
    description:
      'Self-service password portal shown as the “Change Password” link (status, PAM failure text). Default: the api_endpoint’s host.',
  },
  RDPonly: {
    type: 'bool',
    default: false,
    flag: 'rdp-only',
    seed: true,
    aliases: ['rdponly', 'rdp_only', 'win_rdponly'],
    description:
      'MFA for remote sessions only (RDP; on Linux: sessions with a remote host, e.g. sshd); local console logons are not affected.',
  },
  totp_offline_secret_valid_days: {
    type: 'int',
    default: 0,
    min: 0,
    max: 3650,
    unit: 'days',
    flag: 'totp-offline-secret-valid-days',
    seed: true,
    description:
      'How long a synced secret may validate codes offline before the user must sync again. 0 disables offline validation.',
  },
  totp_offline_ui_login_failures: {
    type: 'int',
    default: 5,
    min: 0,
    max: 1000,
    flag: 'totp-offline-ui-login-failures',
    seed: true,
    description:
      'Offline: failed codes in a row that lock the user for totp_offline_ui_lockout_minutes. 0 disables the offline lockout.',
  },
  totp_offline_ui_lockout_minutes: {
    type: 'int',
    default: 15,
    min: 0,
    max: 525_600,
    unit: 'minutes',
    flag: 'totp-offline-ui-lockout-minutes',
    seed: true,
    description: 'Offline: how long a lockout lasts. 0 disables the offline lockout.',
  },
  data_encryption_passphrase: {
    type: 'secret',
    default: '',
    flag: 'data-encryption-passphrase',
    seed: true,
    secret: true,
    aliases: ['encryption_passphrase'],
    description:
      'Passphrase of the portal messages and of the offline cache: the portal’s win_portal_passphrase (or, when that is empty, the portal’s data_encryption_passphrase, as in the manual). Required.',
  },
  api_headers_value: {
    type: 'secret',
    default: '',
    flag: 'api-headers-value',
    seed: true,
    secret: true,
    description: 'Sent as the x-api-key header: the portal’s api_headers_value. Required.',
  },
  api_proxy_enable: {
    type: 'bool',
    default: false,
    flag: 'api-proxy-enable',
    seed: true,
    description: 'Call the portal through the HTTP proxy api_proxy_server:api_proxy_port.',
  },
  api_proxy_server: {
    type: 'host',
    default: '',
    flag: 'api-proxy-server',
    seed: true,
    description: 'Proxy host name or address.',
  },
  api_proxy_port: {
    type: 'int',
    default: 8080,
    min: 1,
    max: 65_535,
    flag: 'api-proxy-port',
    seed: true,
    description: 'Proxy port.',
  },
  verboselog: {
    type: 'bool',
    default: false,
    flag: 'verboselog',
    seed: true,
    description: 'Also log debug records (still without secrets or codes).',
  },
  serialkey: {
    type: 'text',
    default: '',
    flag: 'serialkey',
    seed: true,
    description: 'Accepted and not used: every feature is available without a licence.',
  },
  subscriptionid: {
    type: 'text',
    default: '',
    flag: 'subscriptionid',
    seed: true,
    description: 'Accepted and not used.',
  },
  api_max_clock_skew_seconds: {
    type: 'int',
    default: 120,
    min: 10,
    max: 3600,
    unit: 'seconds',
    flag: 'api-max-clock-skew-seconds',
    description:
      'Largest difference between a portal answer’s timestamp and this clock; older or newer answers are rejected.',
  },
  offline_cache_file: {
    type: 'path',
    default: '',
    flag: 'offline-cache-file',
    description:
      'The encrypted offline cache. Default: SecureMfaWinOtp.offline next to the config file. Relative paths resolve against the config file’s folder.',
  },
  log_file: {
    type: 'path',
    default: '',
    flag: 'log-file',
    description:
      'Append JSON event records here. Empty: failure events (and with verboselog all records) go to standard error.',
  },
  pam_service: {
    type: 'name',
    default: '',
    flag: 'pam-service',
    description: 'Written by install --pam-install: the PAM service the agent was added to.',
  },
  pam_file: {
    type: 'path',
    default: '',
    flag: 'pam-file',
    description: 'Written by install --pam-install: the PAM file the agent’s block is in.',
  },
} as const satisfies Record<string, AgentKey>;

/** A key name. */
export type AgentKeyName = keyof typeof AGENT_KEYS;

/** The agent's normalised configuration. */
export type AgentConfig = {
  -readonly [K in AgentKeyName]: (typeof AGENT_KEYS)[K]['default'] extends boolean
    ? boolean
    : (typeof AGENT_KEYS)[K]['default'] extends number
      ? number
      : string;
};

/** Keys that must be set for the agent to work. */
export const REQUIRED_KEYS: readonly AgentKeyName[] = [
  'api_endpoint',
  'data_encryption_passphrase',
  'api_headers_value',
];

/** The key names, in order. */
export const AGENT_KEY_NAMES = Object.keys(AGENT_KEYS) as AgentKeyName[];

/** Names of the secret keys. */
export const AGENT_SECRET_KEYS: readonly AgentKeyName[] = AGENT_KEY_NAMES.filter(
  (k) => (AGENT_KEYS[k] as AgentKey).secret === true,
);

/** Every key at its default. */
export function defaultAgentConfig(): AgentConfig {
  const out: Record<string, unknown> = {};
  for (const name of AGENT_KEY_NAMES) out[name] = AGENT_KEYS[name].default;
  return out as AgentConfig;
}
