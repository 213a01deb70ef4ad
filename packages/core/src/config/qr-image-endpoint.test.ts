// totp_api_endpoint's shape (the external QR image service, seed 003): checkQrImageEndpoint on its
// own, and through the real loader (checkConfigFile on a file in a temp folder), where a bad
// endpoint is one one-line error naming file, key and value without the credentials, path or
// query — the check `config check`, `install`, `verify` and `serve` share.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkConfigFile } from './load-config.js';
import { checkQrImageEndpoint, QR_IMAGE_ENDPOINT_HINT } from './qr-image-endpoint.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'securemfa-qr-endpoint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Check a QR provider file holding these keys, as the CLI does. */
async function checkQrFile(keys: Record<string, unknown>) {
  await writeFile(join(dir, 'qr.json'), JSON.stringify({ auth_mode: 'SQLITE', ...keys }));
  return checkConfigFile('qr-otp', { file: 'qr.json', cwd: dir, env: {} });
}

/** Bad endpoints: [what, value, reason, shown, message]. The password and key are "Zx9…". */
const BAD = [
  [
    'a bare host (the URI would extend the host name)',
    'https://qr.example.test',
    'host_only',
    'https://qr.example.test',
    /must end in a path or query the otpauth URI is appended to, not in the host name/,
  ],
  [
    'a bare host and port',
    'https://qr.example.test:8443',
    'host_only',
    'https://qr.example.test:8443',
    /not in the host name/,
  ],
  [
    'a user name and password',
    'https://user:Zx9pass@qr.example.test/qr?key=Zx9key&data=',
    'credentials',
    'https://…@qr.example.test/…',
    /must not contain a user name or password/,
  ],
  [
    'a fragment (the URI would never be sent)',
    'https://qr.example.test/?key=Zx9key#data=',
    'fragment',
    'https://qr.example.test/…',
    /must not contain "#"/,
  ],
] as const;

describe('checkQrImageEndpoint', () => {
  it.each([
    ['https://qr.example.test/v1/create-qr-code/?size=150x150&data=', 'https://qr.example.test'],
    ['https://qr.example.test?data=', 'https://qr.example.test'],
    ['https://qr.example.test/', 'https://qr.example.test'],
    [' http://127.0.0.1:8080/qr?data= ', 'http://127.0.0.1:8080'],
  ])('accepts %s (origin %s)', (endpoint, origin) => {
    expect(checkQrImageEndpoint(endpoint)).toEqual({ ok: true, endpoint: endpoint.trim(), origin });
  });

  it.each(BAD)('refuses %s', (_what, endpoint, reason, shown, message) => {
    const r = checkQrImageEndpoint(endpoint);
    expect(r).toMatchObject({ ok: false, reason, shown, origin: new URL(endpoint).origin });
    expect(r.ok ? '' : r.message).toMatch(message);
    expect(JSON.stringify(r)).not.toContain('Zx9');
  });

  it.each(['ftp://qr.example.test/?data=', 'qr.example.test/?data=', ''])(
    'refuses %j: not an http(s) URL',
    (endpoint) => {
      expect(checkQrImageEndpoint(endpoint)).toMatchObject({ ok: false, reason: 'not_http_url' });
    },
  );
});

describe('totp_api_endpoint through the config loader', () => {
  it.each(BAD)(
    '%s: one one-line error naming file, key and the value without secrets (exit 2)',
    async (_what, endpoint, _reason, shown, message) => {
      const r = await checkQrFile({ totp_customization: 'true', totp_api_endpoint: endpoint });
      expect(r.config).toBeUndefined();
      expect(r.errors).toHaveLength(1);
      const [e] = r.errors ?? [];
      expect(e?.key).toBe('totp_api_endpoint');
      expect(e?.message).toMatch(
        new RegExp(`^qr\\.json: totp_api_endpoint: got "${literal(shown)}", which `),
      );
      expect(e?.message).toMatch(message);
      expect(e?.message).toContain(QR_IMAGE_ENDPOINT_HINT);
      expect(e?.message).not.toContain('\n');
      expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
      expect(r.error?.exitCode).toBe(2);
      const everything = JSON.stringify({ r, message: r.error?.message, hint: r.error?.hint });
      expect(everything).not.toContain('Zx9');
      // An endpoint that cannot be used is an error, not also the "sends every secret" warning.
      expect(r.warnings.filter((w) => w.key === 'totp_api_endpoint')).toEqual([]);
    },
  );

  it('a good endpoint loads, with the warning that the service learns every enrolment secret', async () => {
    const endpoint = 'https://qr.example.test/v1/create-qr-code/?size=150x150&data=';
    const r = await checkQrFile({ totp_customization: 'true', totp_api_endpoint: endpoint });
    expect(r.errors).toBeUndefined();
    expect(r.config?.totp_api_endpoint).toBe(endpoint);
    expect(r.warnings.filter((w) => w.key === 'totp_api_endpoint')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/every enrolment secret/) }),
    ]);
  });

  it('a bad endpoint without totp_customization has no effect: a warning, not an error (serve does not use it)', async () => {
    const r = await checkQrFile({ totp_api_endpoint: 'https://qr.example.test' });
    expect(r.errors).toBeUndefined();
    expect(r.warnings.filter((w) => w.key === 'totp_api_endpoint')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/has no effect while totp_customization is false/),
      }),
    ]);
  });

  it('an endpoint that is not an http(s) URL is reported once, by its value type', async () => {
    const r = await checkQrFile({ totp_customization: 'true', totp_api_endpoint: 'ftp://x/' });
    expect(r.errors?.map((e) => e.message)).toEqual([
      'qr.json: totp_api_endpoint: got "ftp://x/", expected an absolute https:// or http:// URL, or ""',
    ]);
  });
});

/** A literal for a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
