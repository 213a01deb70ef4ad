import { describe, expect, it } from '@jest/globals';
import { gatewayUri, loggableUri, parseEndpoint } from './gateway-uri.js';

describe('gatewayUri', () => {
  it.each([
    // the manual's endpoint, with its trailing slash
    [
      'https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/',
      'https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/test1test1',
    ],
    // without the trailing slash: still /prod/<anchor>, not /<anchor>
    ['https://gw.example/prod', 'https://gw.example/prod/test1test1'],
    // several trailing slashes collapse to one separator
    ['https://gw.example/prod///', 'https://gw.example/prod/test1test1'],
    // no path at all
    ['https://gw.example', 'https://gw.example/test1test1'],
    ['https://gw.example/', 'https://gw.example/test1test1'],
    // deeper paths and ports
    ['http://127.0.0.1:8080/v1/otp/', 'http://127.0.0.1:8080/v1/otp/test1test1'],
    ['https://[::1]:8443/prod', 'https://[::1]:8443/prod/test1test1'],
    // a query string stays after the joined path; a fragment is dropped
    ['https://gw.example/api/?code=abc', 'https://gw.example/api/test1test1?code=abc'],
    ['https://gw.example/api#frag', 'https://gw.example/api/test1test1'],
    // surrounding spaces are ignored
    ['  https://gw.example/prod/  ', 'https://gw.example/prod/test1test1'],
  ])('%j + test1test1 → %j', (endpoint, expected) => {
    expect(gatewayUri(endpoint, 'test1test1')).toBe(expected);
  });

  it.each(['', 'Test1', 'a.b', 'a/b', '../x', 'a b'])('rejects the anchor %j', (anchor) => {
    expect(() => gatewayUri('https://gw.example/prod/', anchor)).toThrow(/"anchor" must be/);
  });

  it.each(['', 'gw.example/prod', 'ftp://gw.example/', 'file:///etc/passwd', 'https://'])(
    'rejects the endpoint %j',
    (endpoint) => {
      expect(() => gatewayUri(endpoint, 'alice')).toThrow(/"api_endpoint" must be an absolute/);
    },
  );

  it('parseEndpoint returns a copy without a fragment', () => {
    expect(parseEndpoint('https://gw.example/p#x').toString()).toBe('https://gw.example/p');
  });
});

describe('loggableUri', () => {
  it('drops credentials and masks query values', () => {
    expect(loggableUri('https://user:pa55@gw.example/api/alice?code=SECRET&x=1')).toBe(
      'https://gw.example/api/alice?code=…&x=…',
    );
    expect(loggableUri('https://gw.example/prod/alice')).toBe('https://gw.example/prod/alice');
  });
});
