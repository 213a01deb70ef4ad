import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createSilentLogger, parseConfig, type QrOtpConfig } from '@securemfa/core';
import { qrOtpProvider, qrTotpParameters } from './definition.js';
import type { QrChannel } from './qr-channel.js';

function qrConfig(json: Record<string, unknown> = {}): QrOtpConfig {
  return parseConfig('qr-otp', json).config;
}

describe('qrOtpProvider', () => {
  it('names the provider as the manual does (config file, event source) and this package’s version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(qrOtpProvider).toMatchObject({
      id: 'qr-otp',
      bin: 'securemfa-qr-otp',
      title: 'SecureMFA QR OTP provider',
      configFileName: 'SecureMfaOtpProvider.json',
      eventSource: 'Secure MFA OTP',
      version: pkg.version,
    });
    expect(qrOtpProvider.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(qrOtpProvider.demoUsers?.length).toBeGreaterThan(0);
    for (const upn of qrOtpProvider.demoUsers ?? []) expect(upn).toMatch(/^[a-z.]+@[a-z.]+$/);
  });

  it('createChannel builds the authenticator channel with the verifier’s TOTP parameters', async () => {
    const config = qrConfig({
      totp_customization: true,
      totp_validity_seconds: 45,
      totp_api_otpauth_advanced_params: '&algorithm=SHA512&digits=7',
    });
    const channel = (await qrOtpProvider.createChannel({
      config,
      logger: createSilentLogger(),
      clock: () => new Date(),
    })) as QrChannel;
    expect(channel).toMatchObject({ mode: 'app', name: 'authenticator' });
    expect(qrOtpProvider.totpParameters?.(config)).toEqual({
      step: 45,
      digits: 7,
      algorithm: 'SHA512',
    });
    const p = await channel.enrolment(
      {
        upn: 'bob@adatum.labnet',
      } as Parameters<QrChannel['enrolment']>[0],
      'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      'en',
      {},
    );
    const q = new URL(p.enrollment!.otpauthUri).searchParams;
    expect([q.get('algorithm'), q.get('digits'), q.get('period')]).toEqual(['SHA512', '7', '45']);
  });

  it('imageOrigins: the external QR service’s origin only when it is in effect', () => {
    const endpoint = 'https://qr.example.test/chart?cht=qr&chl=';
    expect(qrOtpProvider.imageOrigins?.(qrConfig())).toEqual([]);
    expect(qrOtpProvider.imageOrigins?.(qrConfig({ totp_api_endpoint: endpoint }))).toEqual([]);
    expect(
      qrOtpProvider.imageOrigins?.(
        qrConfig({ totp_customization: true, totp_api_endpoint: endpoint }),
      ),
    ).toEqual(['https://qr.example.test']);
  });
});

describe('qrTotpParameters', () => {
  it('is 30 s, 6 digits, SHA1 without totp_customization, whatever else the file says', () => {
    expect(
      qrTotpParameters(
        qrConfig({
          totp_validity_seconds: 60,
          totp_api_otpauth_advanced_params: '&algorithm=SHA256&digits=8',
        }),
      ),
    ).toEqual({ step: 30, digits: 6, algorithm: 'SHA1' });
  });

  it('takes totp_validity_seconds and the advanced params’ digits/algorithm with totp_customization', () => {
    expect(qrTotpParameters(qrConfig({ totp_customization: true }))).toEqual({
      step: 30,
      digits: 6,
      algorithm: 'SHA1',
    });
    expect(
      qrTotpParameters(
        qrConfig({
          totp_customization: 'true',
          totp_validity_seconds: '90',
          totp_api_otpauth_advanced_params: '&algorithm=sha256&digits=8&period=30',
        }),
      ),
    ).toEqual({ step: 90, digits: 8, algorithm: 'SHA256' });
  });

  it('ignores advanced values it cannot use (bad digits, unknown algorithm)', () => {
    expect(
      qrTotpParameters(
        qrConfig({
          totp_customization: true,
          totp_api_otpauth_advanced_params: '&algorithm=MD5&digits=9',
        }),
      ),
    ).toEqual({ step: 30, digits: 6, algorithm: 'SHA1' });
  });
});
