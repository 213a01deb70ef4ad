import { describe, expect, it } from '@jest/globals';
import type { OtpMessage } from '@securemfa/core';
import {
  buildGatewayBody,
  CODE_MASK,
  formatValidUntil,
  PRODUCT,
  RESERVED_BODY_KEYS,
} from './request-body.js';

// 2021-01-14 16:35:00 UTC, the manual's sample time.
const validUntil = new Date(Date.UTC(2021, 0, 14, 16, 35, 0));

const msg = (extra: Partial<OtpMessage> = {}): OtpMessage => ({
  upn: 'test1@adatum.labnet',
  to: 'test1',
  code: '123456',
  validUntil,
  lang: 'en',
  ip: '10.101.101.101',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:80.0)',
  attributes: {
    mail: 'user@email.com',
    mobile: '+447700900123',
    'msDS-cloudExtensionAttribute10': 'naming-A1',
  },
  ...extra,
});

describe('formatValidUntil', () => {
  it('writes dd/MM/yyyy HH:mm:ss like the manual ("14/01/2021 16:35:00")', () => {
    expect(formatValidUntil(validUntil, 'UTC')).toBe('14/01/2021 16:35:00');
  });

  it('uses the given zone (24-hour clock)', () => {
    expect(formatValidUntil(validUntil, 'Asia/Kolkata')).toBe('14/01/2021 22:05:00');
    expect(formatValidUntil(new Date(Date.UTC(2021, 6, 1, 0, 0, 5)), 'UTC')).toBe(
      '01/07/2021 00:00:05',
    );
  });

  it('rejects an unknown zone with a RangeError', () => {
    expect(() => formatValidUntil(validUntil, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('buildGatewayBody — api_allparams_inbody false', () => {
  it('is api_code_text, a space and the code, labelled application/json as the originals did', () => {
    expect(
      buildGatewayBody(msg(), {
        allParams: false,
        codeText: 'securemfa api otp code:',
        company: 'X',
      }),
    ).toEqual({
      contentType: 'application/json; charset=utf-8',
      data: 'securemfa api otp code: 123456',
      logged: `securemfa api otp code: ${CODE_MASK}`,
    });
  });

  it('is labelled text/plain with api_text_content_type text/plain', () => {
    const body = buildGatewayBody(msg(), {
      allParams: false,
      codeText: 'Code:',
      company: 'X',
      textContentType: 'text/plain',
    });
    expect(body.contentType).toBe('text/plain; charset=utf-8');
    expect(body.data).toBe('Code: 123456');
  });

  it('adds no second space when the text ends in one, and none for an empty text', () => {
    expect(
      buildGatewayBody(msg(), { allParams: false, codeText: 'Code: ', company: 'X' }).data,
    ).toBe('Code: 123456');
    expect(buildGatewayBody(msg(), { allParams: false, codeText: '', company: 'X' }).data).toBe(
      '123456',
    );
  });
});

describe('buildGatewayBody — api_allparams_inbody true', () => {
  it("is the manual's JSON object, in its key order, as application/json", () => {
    const body = buildGatewayBody(msg(), {
      allParams: true,
      codeText: 'ignored',
      company: 'MyCompany',
      timeZone: 'UTC',
    });
    expect(body.contentType).toBe('application/json; charset=utf-8');
    // The manual's sample, byte for byte.
    expect(body.data).toBe(
      '{"upn":"test1@adatum.labnet","otp":"123456","email":"user@email.com","logonip":"10.101.101.101","useragent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:80.0)","product":"mfa-otp-api","company":"MyCompany","comments":"OTP code is valid until 14/01/2021 16:35:00"}',
    );
    expect(JSON.parse(body.logged)).toEqual({ ...JSON.parse(body.data), otp: CODE_MASK });
    expect(body.logged).not.toContain('123456');
    expect(PRODUCT).toBe('mfa-otp-api');
  });

  it('sends "" for an e-mail, address or user agent it does not have', () => {
    const json = JSON.parse(
      buildGatewayBody(msg({ ip: undefined, userAgent: undefined, attributes: {} }), {
        allParams: true,
        codeText: '',
        company: 'C',
        timeZone: 'UTC',
      }).data,
    );
    expect(json).toMatchObject({ email: '', logonip: '', useragent: '' });
  });

  it('adds each api_customparams_<key> as "<key>": that attribute of the user ("" when absent)', () => {
    const json = JSON.parse(
      buildGatewayBody(msg(), {
        allParams: true,
        codeText: '',
        company: 'C',
        timeZone: 'UTC',
        customParams: {
          msid: 'mobile',
          naming: 'msDS-cloudExtensionAttribute10',
          login: 'msDS-cloudExtensionAttribute11',
        },
      }).data,
    );
    expect(json).toMatchObject({ msid: '+447700900123', naming: 'naming-A1', login: '' });
    expect(Object.keys(json).slice(-3)).toEqual(['msid', 'naming', 'login']);
  });

  it('never lets a custom parameter replace a field the provider sets (otp, upn…)', () => {
    const json = JSON.parse(
      buildGatewayBody(msg(), {
        allParams: true,
        codeText: '',
        company: 'C',
        timeZone: 'UTC',
        customParams: { otp: 'mobile', upn: 'mail', product: 'mobile', extra: 'mobile' },
      }).data,
    );
    expect(json).toMatchObject({
      otp: '123456',
      upn: 'test1@adatum.labnet',
      product: PRODUCT,
      extra: '+447700900123',
    });
    expect(RESERVED_BODY_KEYS.has('otp')).toBe(true);
  });

  it('sends a custom key named __proto__ as plain data (no prototype change)', () => {
    // parse-config collects api_customparams_<key> as own properties, so this can arrive.
    const customParams: Record<string, string> = {};
    Object.defineProperty(customParams, '__proto__', { value: 'mobile', enumerable: true });
    const data = buildGatewayBody(msg(), {
      allParams: true,
      codeText: '',
      company: 'C',
      timeZone: 'UTC',
      customParams,
    }).data;
    expect(data.endsWith(',"__proto__":"+447700900123"}')).toBe(true);
  });
});
