import { describe, expect, it } from '@jest/globals';
import { defaultAgentConfig } from './agent-keys.js';
import { maskAgentConfig, parseAgentConfig } from './parse-agent-config.js';

const required = {
  api_endpoint: 'https://mfa.adatum.labnet',
  data_encryption_passphrase: 'a-long-random-passphrase-1',
  api_headers_value: 'a-long-random-header-value-2',
};
const issuesOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; issues?: { message: string }[] };
    expect([e.code, e.exitCode]).toEqual(['ERR_CONFIG_INVALID', 2]);
    return (e.issues ?? []).map((i) => i.message);
  }
  throw new Error('expected a ConfigError');
};

describe('parseAgentConfig', () => {
  it('applies the defaults (offline off, lockout 5 / 15 minutes, timeout 5000 ms)', () => {
    const { config, warnings } = parseAgentConfig(required);
    expect(config).toEqual({ ...defaultAgentConfig(), ...required });
    expect(config).toMatchObject({
      totp_offline_secret_valid_days: 0,
      totp_offline_ui_login_failures: 5,
      totp_offline_ui_lockout_minutes: 15,
      api_timeout: 5000,
      RDPonly: false,
    });
    expect(warnings).toEqual([]);
  });

  it('reads values as the seed writes them (strings) and as JSON natives; RDPonly by its aliases', () => {
    const { config } = parseAgentConfig({
      ...required,
      api_timeout: ' 3000 ',
      rdponly: 'True',
      totp_offline_secret_valid_days: 14,
      api_proxy_enable: 'false',
      api_proxy_port: '3128',
      verboselog: true,
      encryption_passphrase: required.data_encryption_passphrase,
    });
    expect(config).toMatchObject({
      api_timeout: 3000,
      RDPonly: true,
      totp_offline_secret_valid_days: 14,
      api_proxy_enable: false,
      api_proxy_port: 3128,
      verboselog: true,
    });
  });

  it('reports every bad value at once, naming key, value and what is expected; secrets masked', () => {
    const messages = issuesOf(() =>
      parseAgentConfig(
        {
          ...required,
          api_timeout: '5s',
          RDPonly: 'yes',
          totp_offline_secret_valid_days: -1,
          api_endpoint: 'mfa.adatum.labnet',
          api_headers_value: { nested: true },
          api_proxy_server: 'bad host!',
        },
        { file: '/etc/securemfa/SecureMfaWinOtp.json' },
      ),
    );
    expect(messages).toEqual([
      '/etc/securemfa/SecureMfaWinOtp.json: api_endpoint: got "mfa.adatum.labnet", expected an absolute https:// or http:// URL, or ""',
      '/etc/securemfa/SecureMfaWinOtp.json: api_headers_value: got ********, expected one line of text',
      '/etc/securemfa/SecureMfaWinOtp.json: api_timeout: got "5s", expected an integer 100–120000 (ms)',
      '/etc/securemfa/SecureMfaWinOtp.json: RDPonly: got "yes", expected true or false',
      '/etc/securemfa/SecureMfaWinOtp.json: totp_offline_secret_valid_days: got -1, expected an integer 0–3650 (days)',
      '/etc/securemfa/SecureMfaWinOtp.json: api_proxy_server: got "bad host!", expected a host name or IP address, or ""',
    ]);
  });

  it('requires endpoint, passphrase and header value (unless asked not to); a proxy needs a server', () => {
    expect(issuesOf(() => parseAgentConfig({}))).toEqual([
      '<inline>: api_endpoint is not set: install with --api-endpoint',
      '<inline>: data_encryption_passphrase is not set: install with --data-encryption-passphrase',
      '<inline>: api_headers_value is not set: install with --api-headers-value',
    ]);
    expect(parseAgentConfig({}, { requireAll: false }).config.api_endpoint).toBe('');
    expect(issuesOf(() => parseAgentConfig({ ...required, api_proxy_enable: true }))).toEqual([
      '<inline>: api_proxy_server is empty, but api_proxy_enable is true: set the proxy host',
    ]);
  });

  it('an alias and its key with different values is an error; a line break in a secret is refused', () => {
    expect(
      issuesOf(() => parseAgentConfig({ ...required, RDPonly: true, rdp_only: 'false' })),
    ).toEqual([
      '<inline>: rdp_only and RDPonly are the same setting with different values: keep one',
    ]);
    expect(
      issuesOf(() => parseAgentConfig({ ...required, data_encryption_passphrase: 'a\nb' })),
    ).toEqual(['<inline>: data_encryption_passphrase: got ********, expected one line of text']);
  });

  it('warns about unknown keys (did you mean), sample and short secrets, and http://', () => {
    const { warnings } = parseAgentConfig({
      ...required,
      api_endpoint: 'http://mfa.adatum.labnet',
      data_encryption_passphrase: 'd9GhT=7=Ox8-+LaZ',
      api_headers_value: 'short',
      totp_ofline_secret_valid_days: 3,
      something_else: 1,
    });
    expect(warnings).toEqual([
      '<inline>: unknown key "totp_ofline_secret_valid_days" (ignored); did you mean "totp_offline_secret_valid_days"?',
      '<inline>: unknown key "something_else" (ignored)',
      '<inline>: data_encryption_passphrase is a sample value printed in the manuals: change it',
      '<inline>: api_headers_value is shorter than 16 characters: use a longer random value',
      '<inline>: api_endpoint uses http://: messages are encrypted, but the x-api-key header travels in clear text',
    ]);
  });

  it('refuses a file that is not an object', () => {
    expect(() => parseAgentConfig([1, 2])).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID', exitCode: 2 }),
    );
  });
});

describe('maskAgentConfig', () => {
  it('masks the passphrase and the header value, keeps empty ones empty', () => {
    const { config } = parseAgentConfig(required);
    expect(maskAgentConfig(config)).toMatchObject({
      data_encryption_passphrase: '********',
      api_headers_value: '********',
      api_endpoint: required.api_endpoint,
    });
    expect(maskAgentConfig(defaultAgentConfig()).api_headers_value).toBe('');
  });
});
