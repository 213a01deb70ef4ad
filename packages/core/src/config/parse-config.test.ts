// checkConfig / checkConfigText / parseConfig: aliases, defaults, one clear error per bad value,
// unknown keys, secrets that never leak, exit codes, duplicate keys (DESIGN.md "Configuration").
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConfigError, SecureMfaError, type ConfigIssue } from '../errors.js';
import { checkConfigFile } from './load-config.js';
import { isSecretKey, maskSecrets, SECRET_MASK } from './mask.js';
import {
  checkConfig,
  checkConfigText,
  parseConfig,
  parseConfigText,
  type CheckConfigResult,
} from './parse-config.js';
import { DEFAULT_LEGACY_SALT } from './schema/common.js';
import { CONFIG_FILE_NAMES, PROVIDER_IDS, providerKeys } from './schema/config-schemas.js';
import type { ProviderId } from './types.js';

const FILE = 'conf/SecureMfa.json';

/** Every text a result could show an operator or a log. */
function everything(r: CheckConfigResult): string {
  return JSON.stringify({
    warnings: r.warnings,
    errors: r.errors ?? [],
    message: r.error?.message,
    hint: r.error?.hint,
    issues: r.error?.issues,
    config: r.config === undefined ? undefined : maskSecrets(r.config),
  });
}

describe('aliases (the manuals’ other spellings)', () => {
  const ALIASES = [
    ['login_failures', 'ui_login_failures', '7', 7],
    ['lockout_minutes', 'ui_lockout_minutes', '10', 10],
    ['encryption_passphrase', 'data_encryption_passphrase', 'n0t-the-sample-1', 'n0t-the-sample-1'],
    ['login_text', 'ui_login_text', 'Enter the <b>code</b>', 'Enter the <b>code</b>'],
  ] as const;

  describe.each(PROVIDER_IDS)('%s', (provider) => {
    it.each(ALIASES)('reads %s as %s, without a warning about it', (alias, name, value, parsed) => {
      const r = checkConfig(provider, { [alias]: value }, { file: FILE });
      expect(r.errors).toBeUndefined();
      expect(r.config?.[name]).toBe(parsed);
      expect(r.config).not.toHaveProperty(alias);
      expect(
        r.warnings.filter((w) => w.key === alias && !/ui_customization/.test(w.message)),
      ).toEqual([]);
    });

    it.each(ALIASES)('reads the canonical %s spelling %s too', (_alias, name, value, parsed) => {
      const r = checkConfig(provider, { [name]: value }, { file: FILE });
      expect(r.errors).toBeUndefined();
      expect(r.config?.[name]).toBe(parsed);
    });
  });

  it.each([
    [{ ui_login_failures: '3', login_failures: '3' }],
    [{ ui_login_failures: '3', login_failures: 3 }],
    [{ login_failures: ' 3 ', ui_login_failures: 3 }],
  ])('accepts both spellings with the same value: %j', (json) => {
    const r = checkConfig('qr-otp', json, { file: FILE });
    expect(r.errors).toBeUndefined();
    expect(r.config?.ui_login_failures).toBe(3);
  });

  it('refuses both spellings with different values, naming both', () => {
    const r = checkConfig(
      'email-otp',
      { ui_login_failures: '3', login_failures: '4' },
      { file: FILE },
    );
    expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
    expect(r.errors).toHaveLength(1);
    const [e] = r.errors ?? [];
    expect(e?.key).toBe('ui_login_failures');
    expect(e?.message).toBe(
      `${FILE}: ui_login_failures: given twice with different values ("ui_login_failures": "3" and "login_failures": "4"); keep one`,
    );
  });

  it.each([
    ['lockout_minutes', 'ui_lockout_minutes', '5', '15'],
    ['login_text', 'ui_login_text', 'a', 'b'],
  ])('refuses %s and %s with different values', (alias, name, a, b) => {
    const r = checkConfig('api-otp', { [name]: a, [alias]: b }, { file: FILE });
    expect(r.errors?.map((e) => e.key)).toEqual([name]);
    expect(r.errors?.[0]?.message).toContain(`"${name}"`);
    expect(r.errors?.[0]?.message).toContain(`"${alias}"`);
  });

  it('refuses two different passphrases without showing either', () => {
    const r = checkConfig(
      'qr-otp',
      { data_encryption_passphrase: 'first-Secret-9x', encryption_passphrase: 'second-Secret-7y' },
      { file: FILE },
    );
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.message).toMatch(
      /"data_encryption_passphrase": \*{8} and "encryption_passphrase": \*{8}/,
    );
    expect(everything(r)).not.toMatch(/first-Secret|second-Secret/);
  });
});

describe('missing keys take the documented defaults', () => {
  const COMMON = {
    company: 'SecureMFA',
    serialkey: '',
    auth_mode: 'SQLITE',
    sqlserver: '',
    sqldbname: 'SecureMfaOTP',
    sqlintegratedsecurity: false,
    sql_timeout_ms: 5000,
    sqlite_path: './securemfa.db',
    pg_connection_string: '',
    ldap_url: '',
    ldap_timeout_ms: 5000,
    data_encryption: false,
    data_encryption_passphrase: '',
    data_encryption_legacy_salt: DEFAULT_LEGACY_SALT,
    ui_customization: false,
    ui_login_text: '',
    ui_login_failures: 0,
    ui_lockout_minutes: 5,
    totp_customization: false,
    totp_validity_seconds: 30,
    totp_allow_reuse: false,
    verboselog: false,
    listen_host: '127.0.0.1',
    public_base_url: '',
    adapter_api_key: '',
    trusted_proxies: [],
    rate_limit_per_ip_per_minute: 600,
    rate_limit_per_user_per_minute: 20,
    log_file: '',
    log_format: 'json',
  };
  const OWN: Record<ProviderId, Record<string, unknown>> = {
    'email-otp': {
      listen_port: 8442,
      smtp_server: '',
      smtp_port: 25,
      smtp_mailfrom: '',
      smtp_mailfrom_title: 'sMFA Email Time Based OTP Provider',
      smtp_enablessl: false,
      smtp_password: '',
      smtp_remove_user_prefix: false,
      smtp_timeout_ms: 10_000,
      ui_allowed_domains_for_otpcode: [],
    },
    'api-otp': {
      listen_port: 8441,
      api_endpoint: '',
      api_timeout: 5000,
      api_code_text: 'securemfa api otp code:',
      api_auth_endpoint_enabled: false,
      api_headers_key: 'x-api-key',
      api_headers_value: '',
      api_allparams_inbody: false,
      api_customparams_enable: false,
      api_customparams: {},
      proxy_enable: false,
      proxy_server: '',
      proxy_port: 8080,
    },
    'qr-otp': {
      listen_port: 8443,
      ui_first_login_text: '',
      ui_allow_qr_display_from_networks: [],
      totp_remove_user_prefix: false,
      totp_api_endpoint: '',
      totp_api_otpauth_advanced_params: '',
      totp_image_width_pixels: 150,
      totp_image_height_pixels: 150,
      win_portal_enable: false,
      win_portal_passphrase: '',
      api_headers_value: '',
    },
  };

  it.each(PROVIDER_IDS)('an empty %s file is the embedded SQLite default', (provider) => {
    const r = checkConfig(provider, {}, { file: FILE });
    expect(r.errors).toBeUndefined();
    expect(r.config).toEqual(expect.objectContaining({ ...COMMON, ...OWN[provider] }));
  });

  it.each(PROVIDER_IDS)('every %s key has a value: its documented default', (provider) => {
    const config = parseConfig(provider, {}).config as unknown as Record<string, unknown>;
    const keys = providerKeys(provider);
    for (const k of keys) expect([k.name, config[k.name]]).toEqual([k.name, k.default]);
    const extra = provider === 'api-otp' ? ['api_customparams'] : [];
    expect(Object.keys(config).sort()).toEqual([...keys.map((k) => k.name), ...extra].sort());
  });

  it('keeps the given keys and defaults the rest', () => {
    const { config } = parseConfig('email-otp', { smtp_port: '587', smtp_enablessl: 'TRUE' });
    expect(config.smtp_port).toBe(587);
    expect(config.smtp_enablessl).toBe(true);
    expect(config.smtp_timeout_ms).toBe(10_000);
    expect(config.ui_lockout_minutes).toBe(5);
  });
});

describe('a bad value is exactly one one-line error naming file, key, value and expectation', () => {
  const BAD = [
    ['bad integer', 'email-otp', 'smtp_port', '25a', '"25a"', 'an integer 1–65535'],
    ['fraction', 'email-otp', 'smtp_port', 25.5, '25.5', 'an integer 1–65535'],
    ['boolean as integer', 'email-otp', 'smtp_port', true, 'true', 'an integer 1–65535'],
    ['out of range (high)', 'email-otp', 'smtp_port', '70000', '"70000"', 'an integer 1–65535'],
    ['out of range (0)', 'api-otp', 'proxy_port', 0, '0', 'an integer 1–65535'],
    [
      'out of range (negative)',
      'qr-otp',
      'ui_lockout_minutes',
      '-1',
      '"-1"',
      'an integer 0–525600 (minutes)',
    ],
    [
      'out of range (step too short)',
      'api-otp',
      'totp_validity_seconds',
      '5',
      '"5"',
      'an integer 10–86400 (seconds)',
    ],
    ['bad boolean (yes)', 'email-otp', 'smtp_enablessl', 'yes', '"yes"', 'true or false'],
    ['bad boolean (1)', 'qr-otp', 'data_encryption', '1', '"1"', 'true or false'],
    ['bad boolean (number)', 'api-otp', 'proxy_enable', 1, '1', 'true or false'],
    [
      'bad auth_mode',
      'email-otp',
      'auth_mode',
      'MYSQL',
      '"MYSQL"',
      'one of SQL, AD, SQLITE, POSTGRES',
    ],
    ['auth_mode as a number', 'qr-otp', 'auth_mode', 5, '5', 'one of SQL, AD, SQLITE, POSTGRES'],
    [
      'url with another scheme',
      'api-otp',
      'api_endpoint',
      'ftp://gw.example/prod/',
      '"ftp://gw.example/prod/"',
      'an absolute https:// or http:// URL, or ""',
    ],
    [
      'url without a scheme',
      'api-otp',
      'api_endpoint',
      'gw.example/prod/',
      '"gw.example/prod/"',
      'an absolute https:// or http:// URL, or ""',
    ],
    [
      'ldap url with https',
      'qr-otp',
      'ldap_url',
      'https://dc1.adatum.labnet',
      '"https://dc1.adatum.labnet"',
      'an absolute ldaps:// or ldap:// URL, or ""',
    ],
    [
      'e-mail without a domain',
      'email-otp',
      'smtp_mailfrom',
      'mfa.no.reply',
      '"mfa.no.reply"',
      'an e-mail address like mfa.no.reply@example.com, or ""',
    ],
    [
      'e-mail with a space',
      'email-otp',
      'smtp_mailfrom',
      'mfa no.reply@adatum.labnet',
      '"mfa no.reply@adatum.labnet"',
      'an e-mail address like mfa.no.reply@example.com, or ""',
    ],
  ] as const;

  it.each(BAD)('%s: %s %s = %j', (_what, provider, key, value, shown, expected) => {
    const r = checkConfig(provider, { [key]: value }, { file: FILE });
    expect(r.config).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    const [e] = r.errors ?? [];
    expect(e).toEqual({
      file: FILE,
      key,
      value: shown,
      expected,
      message: `${FILE}: ${key}: got ${shown}, expected ${expected}`,
    });
    expect(e?.message).not.toContain('\n');
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
    expect(r.error?.message).toBe(e?.message);
    expect(r.error?.exitCode).toBe(2);
  });

  it('reports a bad value in the text of a file the same way', () => {
    const r = checkConfigText('email-otp', '{\n  "smtp_port": "25a"\n}\n', { file: FILE });
    expect(r.errors?.map((e) => e.message)).toEqual([
      `${FILE}: smtp_port: got "25a", expected an integer 1–65535`,
    ]);
  });

  it('names the key as the file spells it (an alias)', () => {
    const r = checkConfig('qr-otp', { login_failures: 'five' }, { file: FILE });
    expect(r.errors?.map((e) => e.message)).toEqual([
      `${FILE}: login_failures: got "five", expected an integer 0–1000`,
    ]);
  });

  it('reports every bad key at once, one line each', () => {
    const r = checkConfig(
      'email-otp',
      { smtp_port: 'x', smtp_enablessl: 'maybe', auth_mode: 'ORACLE' },
      { file: FILE },
    );
    expect(r.errors?.map((e) => e.key).sort()).toEqual([
      'auth_mode',
      'smtp_enablessl',
      'smtp_port',
    ]);
    expect(r.error?.message.split('\n')).toHaveLength(3);
  });

  it.each([
    ['a string', 'x'],
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an array', []],
  ])('refuses a file that is %s, not an object', (what, json) => {
    const r = checkConfig('qr-otp', json, { file: FILE });
    expect(r.errors).toEqual([
      {
        file: FILE,
        key: '',
        message: `${FILE}: expected a JSON object { "key": "value", … }, got ${what}`,
      },
    ]);
    expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
  });

  it.each([
    ['an array', '[{"smtp_port": "25"}]'],
    ['a string', '"smtp_port"'],
  ])('refuses a file whose JSON text is %s', (what, text) => {
    const r = checkConfigText('email-otp', text, { file: FILE });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.message).toBe(
      `${FILE}: expected a JSON object { "key": "value", … }, got ${what}`,
    );
  });

  it('property: a port outside 1–65535 is one error quoting it, one inside is a number', () => {
    const outside = fc.oneof(fc.integer({ min: 65_536, max: 10 ** 12 }), fc.integer({ max: 0 }));
    fc.assert(
      fc.property(outside, fc.boolean(), (n, asString) => {
        const value = asString ? String(n) : n;
        const r = checkConfig('email-otp', { smtp_port: value }, { file: FILE });
        expect(r.errors).toHaveLength(1);
        expect(r.errors?.[0]?.message).toBe(
          `${FILE}: smtp_port: got ${JSON.stringify(value)}, expected an integer 1–65535`,
        );
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65_535 }), fc.boolean(), (n, asString) => {
        const r = checkConfig('email-otp', { smtp_port: asString ? ` ${n} ` : n });
        expect(r.config?.smtp_port).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('property: booleans are true/false in any case; any other text is one error', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom('', ' ', '  ', '\t'),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        (b, pad, upper) => {
          const word = [...String(b)].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          const r = checkConfig('qr-otp', { verboselog: `${pad}${word}${pad}` });
          expect(r.config?.verboselog).toBe(b);
        },
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(
        fc
          .string({ maxLength: 12 })
          .filter((s) => !['true', 'false'].includes(s.trim().toLowerCase())),
        (s) => {
          const r = checkConfig('qr-otp', { verboselog: s }, { file: FILE });
          expect(r.errors?.map((e) => e.message)).toEqual([
            `${FILE}: verboselog: got ${JSON.stringify(s)}, expected true or false`,
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('unknown keys are warnings, never failures', () => {
  it.each([
    ['email-otp', 'smtp_prot', 'smtp_port'],
    ['email-otp', 'SMTP_PORT', 'smtp_port'],
    ['api-otp', 'api_timout', 'api_timeout'],
    ['qr-otp', 'totp_image_width_pixel', 'totp_image_width_pixels'],
    ['qr-otp', 'login_failure', 'login_failures'],
  ] as const)('%s: %s → did you mean "%s"', (provider, key, suggestion) => {
    const r = checkConfig(provider, { [key]: '25' }, { file: FILE });
    expect(r.errors).toBeUndefined();
    expect(r.config).not.toHaveProperty(key);
    expect(r.warnings.filter((w) => w.key === key).map((w) => w.message)).toEqual([
      `${FILE}: ${key}: unknown key, ignored (did you mean "${suggestion}"?)`,
    ]);
  });

  it('warns without a suggestion when nothing is close', () => {
    const r = checkConfig('email-otp', { favourite_colour: 'blue' }, { file: FILE });
    expect(r.errors).toBeUndefined();
    expect(r.warnings.filter((w) => w.key === 'favourite_colour').map((w) => w.message)).toEqual([
      `${FILE}: favourite_colour: unknown key, ignored`,
    ]);
  });

  it.each([
    ['email-otp', 'api_endpoint', 'SecureMfaApiOtpProvider.json'],
    ['email-otp', 'ui_first_login_text', 'SecureMfaOtpProvider.json'],
    ['qr-otp', 'smtp_server', 'SecureMfaEmailOtpProvider.json'],
    ['api-otp', 'win_portal_enable', 'SecureMfaOtpProvider.json'],
    ['qr-otp', 'proxy_port', 'SecureMfaApiOtpProvider.json'],
  ] as const)('%s: %s is named as a key of %s', (provider, key, other) => {
    const r = checkConfig(provider, { [key]: 'x' }, { file: FILE });
    expect(r.errors).toBeUndefined();
    expect(r.warnings.filter((w) => w.key === key).map((w) => w.message)).toEqual([
      `${FILE}: ${key}: is a key of ${other}, not of this file; ignored`,
    ]);
  });
});

describe('secrets are never shown', () => {
  const SECRETS: [ProviderId, string][] = [
    ['email-otp', 'smtp_password'],
    ['email-otp', 'data_encryption_passphrase'],
    ['qr-otp', 'encryption_passphrase'],
    ['api-otp', 'adapter_api_key'],
    ['email-otp', 'sqluserpassword'],
    ['qr-otp', 'ldap_bind_password'],
    ['api-otp', 'api_headers_value'],
    ['qr-otp', 'api_headers_value'],
    ['qr-otp', 'win_portal_passphrase'],
    ['api-otp', 'pg_connection_string'],
  ];
  /** Distinctive enough never to occur in a message by chance. */
  const secretArb = fc.stringMatching(/^[A-Za-z0-9+=/-]{12,40}$/).map((s) => `Zx9${s}`);

  it.each(SECRETS)('%s: %s is a secret key', (_provider, key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(SECRETS)('%s: %s is masked by maskSecrets when set, "" when not', (provider, key) => {
    const value = 'Zx9-a-real-secret-value';
    const raw = { [key]: value, company: 'Adatum' };
    expect(maskSecrets(raw)).toEqual({ [key]: SECRET_MASK, company: 'Adatum' });
    expect(maskSecrets({ [key]: '' })).toEqual({ [key]: '' });
    // A config holding the (good) value, masked, does not contain it.
    const good = key === 'pg_connection_string' ? `postgres://u:${value}@db:5432/mfa` : value;
    const r = checkConfig(provider, { [key]: good, company: 'Adatum' }, { file: FILE });
    expect(r.errors).toBeUndefined();
    expect(JSON.stringify(maskSecrets(r.config ?? {}))).not.toContain(value);
  });

  it('property: no warning, error, message, hint or masked config contains a secret, even a bad one', () => {
    const variants = (s: string): unknown[] => [
      s,
      ` ${s} `,
      `${s}\n2nd line`,
      `${s}\u0000`,
      [s],
      { v: s },
      s.repeat(Math.ceil(4097 / s.length)),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...SECRETS), secretArb, ([provider, key], secret) => {
        for (const value of variants(secret)) {
          const r = checkConfig(provider, { [key]: value }, { file: FILE });
          expect(everything(r)).not.toContain(secret);
          const bad = r.errors?.find((e) => e.key === key);
          if (bad?.value !== undefined) expect(bad.value).toBe(SECRET_MASK);
        }
        // The two spellings of the passphrase with different values.
        if (key === 'data_encryption_passphrase' || key === 'encryption_passphrase') {
          const twice = checkConfig(
            provider,
            { data_encryption_passphrase: secret, encryption_passphrase: `${secret}2` },
            { file: FILE },
          );
          expect(twice.errors).toHaveLength(1);
          expect(everything(twice)).not.toContain(secret);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('property: the text of a file never leaks a secret, whatever is wrong with it', () => {
    const texts = (key: string, s: string): string[] => [
      `{"${key}": "${s}"}`,
      `{"${key}": "${s}"\n"company": "x"}`, // missing comma after the secret
      `{"${key}": "${s}\n}`, // unclosed string
      `{"${key}": ${s}}`, // unquoted
      `{"${key}": '${s}'}`, // single quotes
      `{"${key}": “${s}”,\n}`, // typographic quotes and a trailing comma
      `{"${key}": "${s}",\n"${key}": "${s}x"}`, // given twice, different values
      `{"${key}": "${s}",\n"${key}": "${s}"}`, // given twice, same value
      `{"${key}": "${s}\\q"}`, // bad escape
      `{"${key}" "${s}"}`, // missing colon
    ];
    fc.assert(
      fc.property(fc.constantFrom(...SECRETS), secretArb, ([provider, key], secret) => {
        for (const text of texts(key, secret)) {
          const r = checkConfigText(provider, text, { file: FILE });
          expect(everything(r)).not.toContain(secret);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('shows a bad secret as ******** and an empty one as ""', () => {
    const r = checkConfig('email-otp', { smtp_password: 'hunter2\nhunter3' }, { file: FILE });
    expect(r.errors?.map((e) => e.message)).toEqual([
      `${FILE}: smtp_password: got ********, expected one line of text`,
    ]);
    const salt = checkConfig(
      'email-otp',
      { data_encryption_legacy_salt: 'too-short' },
      { file: FILE },
    );
    expect(salt.errors?.map((e) => e.message)).toEqual([
      `${FILE}: data_encryption_legacy_salt: got ********, expected exactly 16 characters (16 bytes in UTF-8)`,
    ]);
    expect(everything(salt)).not.toContain('too-short');
  });
});

describe('ConfigError', () => {
  it.each([
    ['ERR_CONFIG_SYNTAX', () => checkConfigText('qr-otp', '{"company": "x",', { file: FILE })],
    ['ERR_CONFIG_INVALID', () => checkConfig('qr-otp', { auth_mode: 'nope' }, { file: FILE })],
  ] as const)('%s has exit code 2', (code, run) => {
    const r = run();
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error).toBeInstanceOf(SecureMfaError);
    expect(r.error?.code).toBe(code);
    expect(r.error?.exitCode).toBe(2);
    expect(r.error?.file).toBe(FILE);
    expect(r.error?.issues.length).toBeGreaterThan(0);
  });

  it('ERR_CONFIG_NOT_FOUND has exit code 2', async () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const r = await checkConfigFile('qr-otp', {
      file: 'missing.json',
      cwd: '/nowhere',
      env: {},
      readFile: () => Promise.reject(enoent),
    });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error?.code).toBe('ERR_CONFIG_NOT_FOUND');
    expect(r.error?.exitCode).toBe(2);
  });

  it('parseConfig and parseConfigText throw it; checkConfig never throws for bad input', () => {
    expect(() => parseConfig('api-otp', { api_timeout: 'soon' })).toThrow(ConfigError);
    let thrown: unknown;
    try {
      parseConfigText('api-otp', '{');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code: 'ERR_CONFIG_SYNTAX', exitCode: 2 });
    expect(() => checkConfig('api-otp', undefined)).not.toThrow();
    expect(() => checkConfig('sms-otp' as ProviderId, {})).toThrow(TypeError);
  });

  it('names the manual’s file when no file name is given', () => {
    for (const p of PROVIDER_IDS) {
      const r = checkConfig(p, { ui_login_failures: 'x' });
      expect(r.errors?.[0]?.message.startsWith(`${CONFIG_FILE_NAMES[p]}: `)).toBe(true);
    }
  });
});

describe('a key given twice in the text', () => {
  it('with different values is an error naming the key and both lines', () => {
    const r = checkConfigText('email-otp', '{\n"smtp_port": "25",\n"smtp_port": "587"\n}', {
      file: FILE,
    });
    expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
    const expected: ConfigIssue[] = [
      {
        file: FILE,
        key: 'smtp_port',
        message: `${FILE}: smtp_port: given twice with different values (lines 2 and 3); keep one`,
      },
    ];
    expect(r.errors).toEqual(expected);
  });

  it('with the same value (even written differently) is a warning and loads', () => {
    const r = checkConfigText('email-otp', '{\n"smtp_port": "25",\n"smtp_port": "25"\n}', {
      file: FILE,
    });
    expect(r.errors).toBeUndefined();
    expect(r.config?.smtp_port).toBe(25);
    expect(r.warnings.find((w) => w.key === 'smtp_port')?.message).toBe(
      `${FILE}: smtp_port: given twice (lines 2 and 3) with the same value; remove one`,
    );
  });

  it('as two spellings with different values is an error naming both', () => {
    const r = checkConfigText('qr-otp', '{"login_failures": "3",\n"ui_login_failures": "4"}', {
      file: FILE,
    });
    expect(r.errors?.map((e) => e.message)).toEqual([
      `${FILE}: ui_login_failures: given twice with different values ("login_failures": "3" and "ui_login_failures": "4"); keep one`,
    ]);
  });
});
