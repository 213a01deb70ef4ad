// The provider definition, and every e-mail configuration the manuals print (the complete
// samples of seeds 001 and 002 and each fragment they tell operators to edit in, from
// tools/testkit/fixtures/seeds, as printed): each loads, and the provider builds its SMTP
// channel from it the way the manual means (server, port, TLS mode, credentials, sender).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  checkConfigText,
  createSilentLogger,
  providerKeys,
  type EmailOtpConfig,
} from '@securemfa/core';
import { emailOtpProvider, DEMO_USERS } from './definition.js';
import type { SmtpChannel } from './smtp-channel.js';
import { smtpPoolOptions } from './smtp-options.js';

const SEEDS = join(
  dirname(createRequire(import.meta.url).resolve('@securemfa/testkit/package.json')),
  'fixtures',
  'seeds',
);
const read = (name: string): string => readFileSync(join(SEEDS, name), 'utf8');
const SAMPLES = {
  '001': 'SecureMfaEmailOtpProvider.seed001.json',
  '002': 'SecureMfaEmailOtpProvider.seed002.json',
} as const;

const KEYS = providerKeys('email-otp');
const canonical = (k: string): string =>
  KEYS.find((x) => x.name === k || x.aliases?.includes(k))?.name ?? k;
// A key as the manuals write it: straight or typographic quotes.
const KEY = /["“”]([A-Za-z_]+)["“”]\s*:/;

/**
 * What an operator does with a fragment: the sample's lines for the fragment's keys (aliases
 * included) are replaced by the fragment's lines. Text in, text out, so the manuals' typography
 * reaches the loader unchanged.
 */
function applySnippet(sample: string, snippet: string): string {
  const replaced = new Set(
    [...snippet.matchAll(new RegExp(KEY.source, 'g'))].map((m) => canonical(m[1]!)),
  );
  const kept = sample
    .split('\n')
    .filter((line) => {
      const m = KEY.exec(line);
      return m === null || !replaced.has(canonical(m[1]!));
    })
    .join('\n');
  return `${kept.replace(/\}\s*$/, '')},\n${snippet.replace(/^\s*\{/, '')}`;
}

function load(text: string, file: string): EmailOtpConfig {
  const r = checkConfigText('email-otp', text, { file });
  if (r.error !== undefined) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.config;
}

async function channelOf(config: EmailOtpConfig): Promise<SmtpChannel> {
  return (await emailOtpProvider.createChannel({
    config,
    logger: createSilentLogger(),
    clock: () => new Date(),
  })) as SmtpChannel;
}

describe('emailOtpProvider', () => {
  it('names the provider as the manuals do and carries this package’s version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(emailOtpProvider).toMatchObject({
      id: 'email-otp',
      bin: 'securemfa-email-otp',
      configFileName: 'SecureMfaEmailOtpProvider.json',
      eventSource: 'Secure MFA OTP',
      version: pkg.version,
    });
    expect(DEMO_USERS.every((u) => u.endsWith('@demo.securemfa.test'))).toBe(true);
  });
});

describe('the manuals’ complete samples', () => {
  it.each(Object.entries(SAMPLES))(
    'seed %s loads unchanged; the channel: port 25, no TLS, anonymous, the manual’s sender',
    async (_seed, file) => {
      const config = load(read(file), file);
      const channel = await channelOf(config);
      try {
        expect(channel).toMatchObject({
          mode: 'send',
          name: 'smtp',
          description: 'smtp.adatum.labnet:25 no TLS, anonymous',
          // 001 names it; 002 leaves it empty and gets the same from smtp_server's domain.
          sender: 'mfa.no.reply@adatum.labnet',
          deliveryTimeoutMs: 10_000,
        });
        expect(channel.recipient('Test1.Test1@adatum.labnet', {})).toBe(
          'Test1.Test1@adatum.labnet',
        );
        expect(config.smtp_mailfrom_title).toBe('sMFA Email Time Based OTP Provider');
      } finally {
        await channel.close();
      }
    },
  );
});

describe('every fragment of seeds 001 and 002, edited into its sample', () => {
  const fragments = readdirSync(SEEDS).filter((f) => /^seed00[12]-.*\.snippet\.json$/.test(f));
  const sampleOf = (f: string) => read(f.startsWith('seed001') ? SAMPLES['001'] : SAMPLES['002']);

  it('there are the twelve the fixtures README lists', () => {
    expect(fragments).toHaveLength(12);
  });

  // The two SMTP fragments are cut short in the manuals (an unclosed string), and AD mode
  // needs the directory settings the manual leaves to the reader: checked below.
  const complete = fragments.filter((f) => !/seed00[12]-smtp\.snippet|seed001-ad-mode/.test(f));

  it.each(complete)('%s loads and the provider builds its SMTP channel', async (f) => {
    const config = load(applySnippet(sampleOf(f), read(f)), f);
    const channel = await channelOf(config);
    try {
      expect(channel.name).toBe('smtp');
    } finally {
      await channel.close();
    }
  });

  it('seed001-smtp-ssl: STARTTLS required on port 25, AUTH as smtpuser', async () => {
    const f = 'seed001-smtp-ssl.snippet.json';
    const config = load(applySnippet(sampleOf(f), read(f)), f);
    expect(smtpPoolOptions(config)).toMatchObject({
      port: 25,
      secure: false,
      requireTLS: true,
      auth: { user: 'smtpuser', pass: 'userpassword' },
    });
    const channel = await channelOf(config);
    try {
      expect(channel.description).toBe('smtp.adatum.labnet:25 STARTTLS, AUTH as smtpuser');
      expect(channel.description).not.toContain('userpassword');
    } finally {
      await channel.close();
    }
  });

  it('seed001-prefix and the domain lists set what they say', () => {
    const at = (f: string) => load(applySnippet(sampleOf(f), read(f)), f);
    expect(at('seed001-prefix.snippet.json').smtp_remove_user_prefix).toBe(true);
    expect(at('seed001-domains.snippet.json').ui_allowed_domains_for_otpcode).toEqual([
      '.com',
      '.net',
      'mydomain.org',
      'mydomain.eu',
    ]);
    expect(at('seed002-totp.snippet.json')).toMatchObject({
      totp_validity_seconds: 3600,
      totp_allow_reuse: true,
    });
  });

  it.each(['seed001-smtp.snippet.json', 'seed002-smtp.snippet.json'])(
    '%s as printed is a JSON error at the line of the cut string; closed, it loads',
    async (f) => {
      const text = applySnippet(sampleOf(f), read(f));
      const r = checkConfigText('email-otp', text, { file: f });
      expect(r.error?.message).toMatch(
        new RegExp(`^${f}:\\d+:18: invalid JSON: this string is not closed`),
      );
      const closed = text.replace(/"smtp_mailfrom": “([^\n]*)$/m, '"smtp_mailfrom": “$1”');
      const channel = await channelOf(load(closed, f));
      try {
        expect(channel.description).toBe('smtp.adatum.labnet:25 no TLS, anonymous');
      } finally {
        await channel.close();
      }
    },
  );

  it('seed001-ad-mode: names the directory keys AD mode needs; with them it loads', async () => {
    const f = 'seed001-ad-mode.snippet.json';
    const text = applySnippet(sampleOf(f), read(f));
    const r = checkConfigText('email-otp', text, { file: f });
    expect((r.errors ?? []).map((e) => e.key)).toEqual(
      expect.arrayContaining(['ldap_url', 'ldap_base_dn', 'ldap_bind_dn', 'ldap_bind_password']),
    );
    const withDirectory = applySnippet(
      text,
      JSON.stringify({
        ldap_url: 'ldaps://dc1.adatum.labnet',
        ldap_base_dn: 'DC=adatum,DC=labnet',
        ldap_bind_dn: 'svc-mfa@adatum.labnet',
        ldap_bind_password: 'a-service-password',
      }),
    );
    const config = load(withDirectory, f);
    expect(config.auth_mode).toBe('AD');
    const channel = await channelOf(config);
    await channel.close();
  });
});
