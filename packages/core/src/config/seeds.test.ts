// The configuration samples printed in the vendor manuals (tools/testkit/fixtures/seeds, copied
// as printed — see its README): every complete sample loads unchanged, and every fragment the
// manuals tell operators to edit into the sample has the outcome the manual means: it loads
// with the value it sets, it fails naming the keys still needed, or it is invalid JSON at the
// line and column where the manual's text is broken.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { ConfigIssue } from '../errors.js';
import { readConfigText } from './json-text.js';
import { checkConfig, checkConfigText } from './parse-config.js';
import { providerKeys } from './schema/config-schemas.js';
import type { ProviderId } from './types.js';

const SEEDS = join(
  dirname(createRequire(import.meta.url).resolve('@securemfa/testkit/package.json')),
  'fixtures',
  'seeds',
);
const read = (name: string): string => readFileSync(join(SEEDS, name), 'utf8');

/** The public sample passphrase of every manual. */
const SAMPLE_PASSPHRASE = 'd9GhT=7=Ox8-+LaZ';

type Seed = '000' | '001' | '002' | '003';
const SAMPLES: Record<Seed, { provider: ProviderId; file: string }> = {
  '000': { provider: 'api-otp', file: 'SecureMfaApiOtpProvider.seed000.json' },
  '001': { provider: 'email-otp', file: 'SecureMfaEmailOtpProvider.seed001.json' },
  '002': { provider: 'email-otp', file: 'SecureMfaEmailOtpProvider.seed002.json' },
  '003': { provider: 'qr-otp', file: 'SecureMfaOtpProvider.seed003.json' },
};

function canonical(provider: ProviderId, key: string): string {
  return (
    providerKeys(provider).find((k) => k.name === key || k.aliases?.includes(key))?.name ?? key
  );
}

/** A warning without its file prefix, keyed by the canonical key: `ui_login_text: is set, …`. */
function shortWarning(provider: ProviderId, w: ConfigIssue): string {
  const rest = w.message.slice(`${w.file}: `.length);
  if (w.key === '') return rest;
  return `${canonical(provider, w.key)}: ${rest.slice(`${w.key}: `.length)}`;
}

/** `after` minus `before`, as multisets. */
function added(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((s) => {
    const at = left.indexOf(s);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

/** The snippet's keys replace the sample's — an alias replaces the canonical spelling too. */
function applySnippet(
  provider: ProviderId,
  sample: Record<string, unknown>,
  snippet: Record<string, unknown>,
): Record<string, unknown> {
  const replaced = new Set(Object.keys(snippet).map((k) => canonical(provider, k)));
  const kept = Object.entries(sample).filter(([k]) => !replaced.has(canonical(provider, k)));
  return Object.fromEntries([...kept, ...Object.entries(snippet)]);
}

function readJsonObject(name: string): Record<string, unknown> {
  const r = readConfigText(read(name), name);
  if (!r.ok) throw new Error(`${name} must be valid JSON: ${r.error.message}`);
  expect(r.errors).toEqual([]);
  return r.json as Record<string, unknown>;
}

describe('complete samples of the manuals load unchanged', () => {
  it.each(Object.entries(SAMPLES))(
    'seed %s (%s) loads without an error',
    (_seed, { provider, file }) => {
      const r = checkConfigText(provider, read(file), { file });
      expect(r.errors).toBeUndefined();
      expect(r.error).toBeUndefined();
      expect(r.config).toBeDefined();
      // Each warning names the file; none quotes the public sample passphrase.
      for (const w of r.warnings) {
        expect(w.message.startsWith(`${file}: `)).toBe(true);
        expect(w.message).not.toContain(SAMPLE_PASSPHRASE);
      }
    },
  );

  it('seed 000 (API OTP): strings become natives, api_customparams_<name> are collected', () => {
    const { file, provider } = SAMPLES['000'];
    const r = checkConfigText(provider, read(file), { file });
    expect(r.config).toMatchObject({
      company: 'MyCompany',
      serialkey: 'm00000000',
      subscriptionid: '1000000000000000000000001',
      auth_mode: 'SQL',
      sqlserver: 'asqlaol1.adatum.labnet,1433',
      sqldbname: 'SecureMfaOTP',
      sqlintegratedsecurity: true,
      api_endpoint: 'https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/',
      api_timeout: 5000,
      api_code_text: 'securemfa api otp code:',
      api_auth_endpoint_enabled: false,
      api_headers_key: 'x-api-key',
      api_allparams_inbody: true,
      api_customparams_enable: false,
      api_customparams: {
        msid: 'mobile',
        naming: 'msDS-cloudExtensionAttribute10',
        login: 'msDS-cloudExtensionAttribute11',
        password: 'msDS-cloudExtensionAttribute12',
      },
      data_encryption: false,
      data_encryption_passphrase: SAMPLE_PASSPHRASE,
      ui_customization: false,
      ui_login_text: '',
      ui_login_failures: 0,
      ui_lockout_minutes: 5,
      totp_customization: false,
      totp_validity_seconds: 30,
      totp_allow_reuse: false,
      proxy_enable: false,
      proxy_server: 'proxy.adatum.labnet',
      proxy_port: 8080,
      verboselog: false,
    });
    expect(r.config).not.toHaveProperty('api_customparams_msid');
    expect(r.warnings.map((w) => w.key).sort()).toEqual([
      'api_headers_value',
      'data_encryption_passphrase',
      'sqlintegratedsecurity',
    ]);
    const byKey = new Map(r.warnings.map((w) => [w.key, w.message]));
    expect(byKey.get('data_encryption_passphrase')).toMatch(/sample value .*MUST change it/);
    expect(byKey.get('api_headers_value')).toMatch(/sample value .*MUST change it/);
    expect(byKey.get('sqlintegratedsecurity')).toMatch(/integrated security is not available/);
  });

  it('seed 001 (e-mail, non-breaking-space indentation): loads, warning about the spaces', () => {
    const { file, provider } = SAMPLES['001'];
    const r = checkConfigText(provider, read(file), { file });
    expect(r.config).toMatchObject({
      company: 'MyCompany',
      subscriptionid: '1000000000000000000000001',
      auth_mode: 'SQL',
      sqlintegratedsecurity: true,
      smtp_server: 'smtp.adatum.labnet',
      smtp_mailfrom_title: 'sMFA Email Time Based OTP Provider',
      smtp_mailfrom: 'mfa.no.reply@adatum.labnet',
      smtp_port: 25,
      smtp_enablessl: false,
      smtp_username: '',
      smtp_password: '',
      smtp_remove_user_prefix: false,
      data_encryption: false,
      ui_login_failures: 0,
      ui_lockout_minutes: 5,
      ui_allowed_domains_for_otpcode: [],
      totp_customization: false,
      totp_validity_seconds: 30,
      verboselog: false,
    });
    expect(r.warnings.map((w) => w.key).sort()).toEqual([
      '',
      'data_encryption_passphrase',
      'sqlintegratedsecurity',
    ]);
    const spaces = r.warnings.find((w) => w.key === '');
    expect(spaces?.message).toMatch(/non-breaking or other Unicode spaces .* on lines 1, 3, 5,/);
    expect(r.warnings.find((w) => w.key === 'data_encryption_passphrase')?.message).toMatch(
      /sample value .*MUST change it/,
    );
  });

  it('seed 002 (e-mail, second edition): loads; the empty sender is a warning', () => {
    const { file, provider } = SAMPLES['002'];
    const r = checkConfigText(provider, read(file), { file });
    expect(r.config).toMatchObject({
      smtp_server: 'smtp.adatum.labnet',
      smtp_mailfrom: '',
      smtp_port: 25,
      smtp_enablessl: false,
      sqlintegratedsecurity: true,
      ui_allowed_domains_for_otpcode: [],
      totp_validity_seconds: 30,
      ui_lockout_minutes: 5,
    });
    expect(r.warnings.map((w) => w.key).sort()).toEqual([
      'data_encryption_passphrase',
      'smtp_mailfrom',
      'sqlintegratedsecurity',
    ]);
    expect(r.warnings.find((w) => w.key === 'smtp_mailfrom')?.message).toMatch(/is empty/);
  });

  it('seed 003 (QR): “” is read as "" with a warning naming line 16; the aliases are mapped', () => {
    const { file, provider } = SAMPLES['003'];
    const r = checkConfigText(provider, read(file), { file });
    expect(r.config).toMatchObject({
      company: 'MyCompany',
      auth_mode: 'SQL',
      sqlintegratedsecurity: true,
      verboselog: false,
      data_encryption: false,
      data_encryption_passphrase: SAMPLE_PASSPHRASE,
      ui_login_failures: 0,
      ui_lockout_minutes: 5,
      ui_customization: false,
      ui_first_login_text: '',
      ui_login_text: '',
      totp_customization: false,
      totp_remove_user_prefix: false,
      totp_api_endpoint: '',
      totp_api_otpauth_advanced_params: '&algorithm=SHA1',
      totp_image_width_pixels: 150,
      totp_image_height_pixels: 150,
      totp_validity_seconds: 30,
    });
    for (const alias of ['login_failures', 'lockout_minutes', 'encryption_passphrase']) {
      expect(r.config).not.toHaveProperty(alias);
    }
    expect(r.warnings.map((w) => w.key).sort()).toEqual([
      '',
      'auth_mode',
      'encryption_passphrase',
      'sqlintegratedsecurity',
    ]);
    expect(r.warnings.find((w) => w.key === '')?.message).toMatch(
      /typographic quotes \(“ ”\) used as JSON quotes on line 16 were read as plain quotes/,
    );
    // The sample has no auth_mode: it names a SQL server, so SQL, as the originals did.
    expect(r.warnings.find((w) => w.key === 'auth_mode')?.message).toMatch(/SQL is used/);
    expect(r.warnings.find((w) => w.key === 'encryption_passphrase')?.message).toMatch(
      /sample value .*MUST change it/,
    );
  });
});

/** What applying a snippet to its manual's sample does. */
type Outcome =
  | {
      /** Values of the merged config (canonical keys). */
      loads: Record<string, unknown>;
      /** Warnings from reading the snippet's text (repairs). */
      textWarnings?: RegExp[];
      /** Warnings of the merged config that the sample alone does not have. */
      newWarnings?: RegExp[];
      /** Warnings the merged config must have (possibly the sample's too). */
      alsoWarns?: RegExp[];
    }
  | { fails: string[]; alsoWarns?: RegExp[] }
  | { syntax: `${number}:${number}`; reason: RegExp };

const NEEDS_DIRECTORY = ['ldap_base_dn', 'ldap_bind_dn', 'ldap_bind_password', 'ldap_url'];
const TRAILING_COMMA = (line: number): RegExp =>
  new RegExp(`a comma before "\\}" or "\\]" on line ${line} was ignored`);
const TYPOGRAPHIC = (line: number): RegExp =>
  new RegExp(`typographic quotes \\(“ ”\\) used as JSON quotes on line ${line} `);
const NO_EFFECT_UI = (key: string): RegExp =>
  new RegExp(`^${key}: is set, but has no effect while ui_customization is false$`);
const SAMPLE_SECRET = (key: string): RegExp => new RegExp(`^${key}: is the sample value printed`);
const UNCLOSED = /this string is not closed/;

const SNIPPETS: Record<string, Outcome> = {
  // 000 API OTP
  'seed000-lockout': { loads: { ui_login_failures: 15, ui_lockout_minutes: 5 }, newWarnings: [] },
  'seed000-encryption': {
    loads: { data_encryption: true, data_encryption_passphrase: SAMPLE_PASSPHRASE },
    newWarnings: [],
    alsoWarns: [SAMPLE_SECRET('data_encryption_passphrase')],
  },
  // Cut short in the manual: `"ui_login_text": "Enter the passcode generated by your authenticator`.
  'seed000-ui-text': { syntax: '2:18', reason: UNCLOSED },
  // AD mode: this provider binds to the directory itself, so it needs where and as whom.
  'seed000-ad-mode': {
    fails: NEEDS_DIRECTORY,
    alsoWarns: [/^data_encryption: is false, but AD mode always encrypts secrets/],
  },
  'seed000-endpoint': {
    loads: {
      api_endpoint: 'https://rb8pldw076.execute-api.eu-west-1.amazonaws.com/prod/',
      api_timeout: 5000,
      api_code_text: 'SecureMFA API OTP Code:',
    },
    newWarnings: [],
  },
  'seed000-auth': {
    loads: {
      api_auth_endpoint_enabled: true,
      api_headers_key: 'x-api-key',
      api_headers_value: 'V3UK6mUMgL6ztXtiJUurA3Fhn5Xjbejy1ZAhwokT',
    },
    textWarnings: [TRAILING_COMMA(6)],
    newWarnings: [],
    alsoWarns: [SAMPLE_SECRET('api_headers_value')],
  },
  'seed000-proxy': {
    loads: { proxy_enable: true, proxy_server: 'proxy.adatum.labnet', proxy_port: 8080 },
    textWarnings: [TRAILING_COMMA(6)],
    newWarnings: [],
  },
  'seed000-allparams': { loads: { api_allparams_inbody: true }, newWarnings: [] },
  'seed000-customparams': {
    loads: {
      api_customparams_enable: true,
      api_customparams: {
        msid: 'mobile',
        naming: 'msDS-cloudExtensionAttribute10',
        login: 'msDS-cloudExtensionAttribute11',
        password: 'msDS-cloudExtensionAttribute12',
      },
    },
    newWarnings: [],
  },
  'seed000-verboselog': { loads: { verboselog: true }, newWarnings: [] },
  'seed000-code-text': { loads: { api_code_text: 'My custom value(s)' }, newWarnings: [] },
  'seed000-totp': {
    loads: { totp_customization: true, totp_validity_seconds: 60, totp_allow_reuse: false },
    textWarnings: [TRAILING_COMMA(6)],
    newWarnings: [],
  },
  'seed000-totp-reuse': {
    loads: { totp_allow_reuse: true },
    textWarnings: [TRAILING_COMMA(2)],
    newWarnings: [],
  },

  // 001 e-mail OTP, first edition
  'seed001-login-text': {
    loads: { ui_login_text: 'Enter a code received from MFA Email Authenticator.' },
    textWarnings: [TYPOGRAPHIC(2)],
    // "You will have to change ui_customization to be true for this change to take effect."
    newWarnings: [NO_EFFECT_UI('ui_login_text')],
  },
  'seed001-lockout': {
    loads: { ui_login_failures: 15, ui_lockout_minutes: 5 },
    textWarnings: [/non-breaking or other Unicode spaces between values on line 4 /],
    newWarnings: [],
  },
  'seed001-encryption': {
    // Printed with spaces inside the quotes: kept (they may have encrypted data), with a warning.
    loads: { data_encryption: true, data_encryption_passphrase: ` ${SAMPLE_PASSPHRASE} ` },
    newWarnings: [/^data_encryption_passphrase: has spaces at the start or end/],
    alsoWarns: [SAMPLE_SECRET('data_encryption_passphrase')],
  },
  'seed001-domains': {
    loads: { ui_allowed_domains_for_otpcode: ['.com', '.net', 'mydomain.org', 'mydomain.eu'] },
    newWarnings: [NO_EFFECT_UI('ui_allowed_domains_for_otpcode')],
  },
  'seed001-ad-mode': {
    fails: NEEDS_DIRECTORY,
    alsoWarns: [/^data_encryption: is false, but AD mode always encrypts secrets/],
  },
  // Cut short in the manual: `"smtp_mailfrom": “mfa.no.reply@adatum.labnet` (no closing quote).
  'seed001-smtp': { syntax: '8:18', reason: UNCLOSED },
  'seed001-smtp-ssl': {
    loads: { smtp_enablessl: true, smtp_username: 'smtpuser', smtp_password: 'userpassword' },
    newWarnings: [SAMPLE_SECRET('smtp_password')],
  },
  'seed001-prefix': { loads: { smtp_remove_user_prefix: true }, newWarnings: [] },
  'seed001-totp': {
    loads: { totp_validity_seconds: 3600, totp_allow_reuse: true },
    textWarnings: [
      /non-breaking or other Unicode spaces between values on lines 2, 4 /,
      TRAILING_COMMA(4),
    ],
    // The sample keeps totp_customization "false": the 3600 s step is not used, and it says so.
    newWarnings: [
      /^totp_validity_seconds: is set, but has no effect while totp_customization is false/,
    ],
  },

  // 002 e-mail OTP, second edition
  'seed002-domains': {
    // ".com;.net;;": the empty entries are dropped.
    loads: { ui_allowed_domains_for_otpcode: ['.com', '.net'] },
    newWarnings: [NO_EFFECT_UI('ui_allowed_domains_for_otpcode')],
  },
  // Cut short in the manual: `"smtp_mailfrom": “` and nothing after it.
  'seed002-smtp': { syntax: '8:18', reason: UNCLOSED },
  'seed002-totp': {
    loads: { totp_validity_seconds: 3600, totp_allow_reuse: true },
    textWarnings: [TRAILING_COMMA(4)],
    newWarnings: [
      /^totp_validity_seconds: is set, but has no effect while totp_customization is false/,
    ],
  },

  // 003 QR OTP
  'seed003-lockout': { loads: { ui_login_failures: 15, ui_lockout_minutes: 5 }, newWarnings: [] },
  'seed003-encryption': {
    loads: { data_encryption: true, data_encryption_passphrase: SAMPLE_PASSPHRASE },
    newWarnings: [],
  },
  'seed003-ui-text': {
    loads: {
      ui_first_login_text:
        'Please configure your Authenticator Application (Microsoft Authenticator, Google Authenticator, Symantec VIP etc.) using the QR code below.',
      ui_login_text: 'Enter the passcode generated by your authenticator application.',
    },
    // "NOTE: ui_customization must be set to true for bellow changes to take effect."
    newWarnings: [NO_EFFECT_UI('ui_login_text'), NO_EFFECT_UI('ui_first_login_text')],
  },
  'seed003-networks': {
    // “;;”: an empty list (every network), read through the typographic quotes.
    loads: { ui_allow_qr_display_from_networks: [] },
    textWarnings: [TYPOGRAPHIC(2)],
    newWarnings: [],
  },
  'seed003-totp-customization': { loads: { totp_customization: true }, newWarnings: [] },
  'seed003-totp-endpoint': { loads: { totp_api_endpoint: '' }, newWarnings: [] },
  'seed003-advanced-params': {
    loads: { totp_api_otpauth_advanced_params: '&algorithm=SHA1' },
    newWarnings: [],
  },
  'seed003-image-size': {
    loads: { totp_image_width_pixels: 150, totp_image_height_pixels: 150 },
    newWarnings: [],
  },
  'seed003-prefix': { loads: { totp_remove_user_prefix: true }, newWarnings: [] },
  // Line 4 `"totp_api_endpoint": "”` has no comma: the next key, on line 5, is where it breaks.
  'seed003-qr-service': {
    syntax: '5:1',
    reason: /expected "," or "\}" after the value of "totp_api_endpoint" \(is a comma missing/,
  },
};

describe('snippets of the manuals applied to their sample', () => {
  it('covers every snippet file of the fixtures', () => {
    const files = readdirSync(SEEDS)
      .filter((f) => f.endsWith('.snippet.json'))
      .map((f) => f.slice(0, -'.snippet.json'.length))
      .sort();
    expect(files).toEqual(Object.keys(SNIPPETS).sort());
  });

  it('names as syntax errors exactly the snippets the README says are cut short', () => {
    const syntax = Object.entries(SNIPPETS)
      .filter(([, o]) => 'syntax' in o)
      .map(([n]) => n);
    expect(syntax).toEqual([
      'seed000-ui-text',
      'seed001-smtp',
      'seed002-smtp',
      'seed003-qr-service',
    ]);
  });

  it.each(Object.entries(SNIPPETS))('%s', (name, outcome) => {
    const seed = name.slice('seed'.length, 'seedNNN'.length) as Seed;
    const { provider, file } = SAMPLES[seed];
    const snippetFile = `${name}.snippet.json`;
    const text = readConfigText(read(snippetFile), snippetFile);

    if ('syntax' in outcome) {
      expect(text.ok).toBe(false);
      if (text.ok) return;
      expect(text.error.code).toBe('ERR_CONFIG_SYNTAX');
      expect(text.error.exitCode).toBe(2);
      expect(text.error.message).toMatch(
        new RegExp(`^${snippetFile.replace(/\./g, '\\.')}:${outcome.syntax}: invalid JSON: `),
      );
      expect(text.error.message).toMatch(outcome.reason);
      expect(text.error.message).not.toContain('\n');
      return;
    }

    expect(text.ok).toBe(true);
    if (!text.ok) return;
    expect(text.errors).toEqual([]);
    const snippet = text.json as Record<string, unknown>;
    const sample = readJsonObject(file);
    const baseline = checkConfig(provider, sample, { file });
    expect(baseline.error).toBeUndefined();
    const r = checkConfig(provider, applySnippet(provider, sample, snippet), { file });
    const warnings = r.warnings.map((w) => shortWarning(provider, w));
    for (const pattern of outcome.alsoWarns ?? []) {
      expect(warnings.some((w) => pattern.test(w))).toBe(true);
    }

    if ('fails' in outcome) {
      expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
      expect(r.error?.exitCode).toBe(2);
      expect((r.errors ?? []).map((e) => e.key).sort()).toEqual(outcome.fails);
      return;
    }

    expect(r.errors).toBeUndefined();
    expect(r.config).toMatchObject(outcome.loads);
    const textWarnings = text.warnings.map((w) => w.message);
    expect(textWarnings).toHaveLength(outcome.textWarnings?.length ?? 0);
    (outcome.textWarnings ?? []).forEach((pattern, i) => expect(textWarnings[i]).toMatch(pattern));
    const fresh = added(
      baseline.warnings.map((w) => shortWarning(provider, w)),
      warnings,
    );
    expect(fresh).toHaveLength(outcome.newWarnings?.length ?? 0);
    for (const pattern of outcome.newWarnings ?? []) {
      expect(fresh.some((w) => pattern.test(w))).toBe(true);
    }
  });
});
