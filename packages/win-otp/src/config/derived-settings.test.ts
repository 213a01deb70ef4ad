import { describe, expect, it } from '@jest/globals';
import {
  joinAnchor,
  logFilePath,
  offlineCachePath,
  portalUrl,
  ssprUrl,
} from './derived-settings.js';

describe('portalUrl', () => {
  it.each([
    ['https://mfa.adatum.labnet', 'https://mfa.adatum.labnet/api/v1/win/validate'],
    ['https://mfa.adatum.labnet/', 'https://mfa.adatum.labnet/api/v1/win/validate'],
    ['https://web.adatum.labnet/mfa/', 'https://web.adatum.labnet/mfa/api/v1/win/validate'],
    [
      'https://mfa.adatum.labnet/api/v1/win/validate',
      'https://mfa.adatum.labnet/api/v1/win/validate',
    ],
    ['http://127.0.0.1:8443#frag', 'http://127.0.0.1:8443/api/v1/win/validate'],
  ])('%s → %s', (endpoint, url) => {
    expect(portalUrl({ api_endpoint: endpoint })).toBe(url);
  });
});

describe('ssprUrl (seed 004: default is the host part of the API endpoint)', () => {
  it('is sspr_url when set, else the endpoint’s origin', () => {
    expect(ssprUrl({ sspr_url: 'https://sspr.x/reset', api_endpoint: 'https://a.x/p' })).toBe(
      'https://sspr.x/reset',
    );
    expect(
      ssprUrl({ sspr_url: '', api_endpoint: 'https://awebapi.adatum.labnet/api/securemfaotp' }),
    ).toBe('https://awebapi.adatum.labnet/');
    expect(ssprUrl({ sspr_url: '', api_endpoint: '' })).toBe('');
  });
});

describe('joinAnchor (seed 004: the username is joined with anchordnsname)', () => {
  it.each([
    ['alice', 'adatum.labnet', 'alice@adatum.labnet'],
    [' alice ', '@adatum.labnet', 'alice@adatum.labnet'],
    ['alice@contoso.com', 'adatum.labnet', 'alice@contoso.com'],
    ['ADATUM\\alice', 'adatum.labnet', 'alice@adatum.labnet'],
    ['alice', '', 'alice'],
  ])('%s + %s → %s', (user, anchor, upn) => {
    expect(joinAnchor(user, anchor)).toBe(upn);
  });

  it.each(['', '   ', '@', 'alice@', '@adatum.labnet', 'ADATUM\\', 'a\nb', 'x'.repeat(257)])(
    'refuses %j',
    (user) => {
      expect(() => joinAnchor(user, 'adatum.labnet')).toThrow(TypeError);
    },
  );
});

describe('offlineCachePath / logFilePath', () => {
  const configFile = '/etc/securemfa/SecureMfaWinOtp.json';
  it('default beside the config, relative to its folder, or absolute', () => {
    expect(offlineCachePath({ offline_cache_file: '' }, configFile)).toBe(
      '/etc/securemfa/SecureMfaWinOtp.offline',
    );
    expect(offlineCachePath({ offline_cache_file: 'cache/x' }, configFile)).toBe(
      '/etc/securemfa/cache/x',
    );
    expect(offlineCachePath({ offline_cache_file: '/var/lib/x' }, configFile)).toBe('/var/lib/x');
    expect(logFilePath({ log_file: '' }, configFile)).toBeUndefined();
    expect(logFilePath({ log_file: 'agent.log' }, configFile)).toBe('/etc/securemfa/agent.log');
  });
});
