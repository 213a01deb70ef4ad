import { describe, expect, it } from '@jest/globals';
import { parseConfig, type EmailOtpConfig } from '@securemfa/core';
import {
  describeSmtp,
  MAX_MESSAGES_PER_CONNECTION,
  pemCertificates,
  senderAddress,
  serverLabel,
  smtpPoolOptions,
} from './smtp-options.js';

function config(json: Record<string, unknown> = {}): EmailOtpConfig {
  return parseConfig('email-otp', { smtp_server: 'smtp.adatum.labnet', ...json }).config;
}

const PEM_A = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
const PEM_B = '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----';

describe('smtpPoolOptions', () => {
  it('the manuals’ default: port 25, no TLS (STARTTLS never tried), anonymous, pooled, bounded', () => {
    const o = smtpPoolOptions(config({ smtp_port: '25', smtp_enablessl: 'false' }));
    expect(o).toMatchObject({
      pool: true,
      host: 'smtp.adatum.labnet',
      port: 25,
      secure: false,
      requireTLS: false,
      ignoreTLS: true,
      maxConnections: 5,
      maxMessages: MAX_MESSAGES_PER_CONNECTION,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 10_000,
      dnsTimeout: 10_000,
      logger: false,
      debug: false,
    });
    expect(o.auth).toBeUndefined();
  });

  it('smtp_enablessl on 25/587: STARTTLS required, TLS 1.2+, certificate verified; AUTH with the credentials', () => {
    for (const port of ['25', '587']) {
      const o = smtpPoolOptions(
        config({
          smtp_port: port,
          smtp_enablessl: 'true',
          smtp_username: 'smtpuser',
          smtp_password: 'userpassword',
        }),
      );
      expect(o).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
      expect(o.tls).toEqual({ minVersion: 'TLSv1.2', rejectUnauthorized: true });
      expect(o.auth).toEqual({ user: 'smtpuser', pass: 'userpassword' });
    }
  });

  it('smtp_enablessl on 465: implicit TLS', () => {
    expect(smtpPoolOptions(config({ smtp_port: '465', smtp_enablessl: 'true' }))).toMatchObject({
      secure: true,
      requireTLS: false,
      ignoreTLS: false,
    });
  });

  it('the CA file’s certificates (a chain), the server name, the pool size and the timeout', () => {
    const o = smtpPoolOptions(
      config({
        smtp_enablessl: 'true',
        smtp_tls_servername: 'smtp.internal.example',
        smtp_pool_size: '2',
        smtp_timeout_ms: '1500',
      }),
      `${PEM_A}\n${PEM_B}\n`,
    );
    expect(o.tls).toEqual({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ca: [PEM_A, PEM_B],
      servername: 'smtp.internal.example',
    });
    expect(o.maxConnections).toBe(2);
    expect([o.connectionTimeout, o.greetingTimeout, o.socketTimeout, o.dnsTimeout]).toEqual([
      1500, 1500, 1500, 1500,
    ]);
    expect(o.idleTimeout).toBe(750);
  });
});

describe('senderAddress', () => {
  it('is smtp_mailfrom when set', () => {
    expect(
      senderAddress({ smtp_mailfrom: 'mfa.no.reply@adatum.labnet', smtp_server: 'x.example' }),
    ).toBe('mfa.no.reply@adatum.labnet');
  });

  it('is mfa.no.reply@ the server’s domain when empty (seed 002 leaves it empty)', () => {
    expect(senderAddress({ smtp_mailfrom: '', smtp_server: 'smtp.adatum.labnet' })).toBe(
      'mfa.no.reply@adatum.labnet',
    );
    expect(senderAddress({ smtp_mailfrom: '', smtp_server: 'adatum.labnet' })).toBe(
      'mfa.no.reply@adatum.labnet',
    );
    expect(senderAddress({ smtp_mailfrom: '', smtp_server: 'SMTP.Adatum.Labnet.' })).toBe(
      'mfa.no.reply@adatum.labnet',
    );
    expect(senderAddress({ smtp_mailfrom: '', smtp_server: '127.0.0.1' })).toBe(
      'mfa.no.reply@localhost',
    );
    expect(senderAddress({ smtp_mailfrom: '', smtp_server: 'mailhost' })).toBe(
      'mfa.no.reply@localhost',
    );
  });
});

describe('describeSmtp and serverLabel: how the server is reached, never the password', () => {
  it('names host, port, TLS mode and the user', () => {
    expect(describeSmtp(config())).toBe('smtp.adatum.labnet:25 no TLS, anonymous');
    expect(
      describeSmtp(
        config({
          smtp_port: '587',
          smtp_enablessl: 'true',
          smtp_username: 'smtpuser',
          smtp_password: 'userpassword',
        }),
      ),
    ).toBe('smtp.adatum.labnet:587 STARTTLS, AUTH as smtpuser');
    expect(describeSmtp(config({ smtp_port: '465', smtp_enablessl: 'true' }))).toBe(
      'smtp.adatum.labnet:465 implicit TLS, anonymous',
    );
  });

  it('brackets IPv6 and says when no server is set', () => {
    expect(serverLabel({ smtp_server: '::1', smtp_port: 25 })).toBe('[::1]:25');
    expect(serverLabel({ smtp_server: '', smtp_port: 25 })).toBe('(smtp_server not set):25');
  });
});

describe('pemCertificates', () => {
  it('splits a bundle and ignores text around it', () => {
    expect(pemCertificates(`subject=CN a\n${PEM_A}\n\n${PEM_B}`)).toEqual([PEM_A, PEM_B]);
    expect(pemCertificates('not a certificate')).toEqual([]);
  });
});
