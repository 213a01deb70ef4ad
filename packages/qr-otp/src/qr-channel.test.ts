// The QR channel against real oracles: every PNG is decoded by zbarimg (zbar-tools) and every
// code the decoded URI describes is computed by oathtool (oath-toolkit). Both tools are required:
// when one is missing the suite FAILS with the install hint, it never skips.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import {
  createLogger,
  generateSecret,
  generateTotp,
  parseConfig,
  t,
  verifyTotp,
  type QrOtpConfig,
  type TotpAlgorithm,
  type UserRecord,
} from '@securemfa/core';
import winston from 'winston';
import { qrTotpParameters } from './definition.js';
import { createQrChannel, externalQrEndpoint, type QrChannel } from './qr-channel.js';

const run = promisify(execFile);

const T0 = 1_773_493_630; // 2026-03-14T13:07:10Z
const UPN = 'alice@adatum.labnet';
const ENDPOINT = 'https://qr.example.test/v1/create-qr-code/?size=150x150&data=';

/** Fail (never skip) when an oracle tool is missing. */
function requireTool(tool: string, debianPackage: string): void {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    throw new Error(
      `${tool} is required by the QR channel tests and could not be run (${probe.error.message}): install it with "apt-get install ${debianPackage}"`,
    );
  }
}

let dir = '';
let pngCount = 0;

beforeAll(async () => {
  requireTool('zbarimg', 'zbar-tools');
  requireTool('oathtool', 'oathtool');
  dir = await mkdtemp(join(tmpdir(), 'securemfa-qr-channel-'));
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** The PNG bytes of a `data:image/png;base64,…` URL (asserting that form). */
function pngBytes(dataUrl: string): Buffer {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  if (m === null) throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}…`);
  const bytes = Buffer.from(m[1]!, 'base64');
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // PNG signature
  return bytes;
}

/** Width and height from the PNG's IHDR chunk. */
function pngSize(dataUrl: string): { width: number; height: number } {
  const bytes = pngBytes(dataUrl);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** What zbarimg reads from the image (exactly one symbol, no trailing newline). */
async function scan(dataUrl: string): Promise<string> {
  pngCount += 1;
  const file = join(dir, `qr-${pngCount}.png`);
  await writeFile(file, pngBytes(dataUrl));
  const { stdout } = await run('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' });
  return stdout.replace(/\n$/, '');
}

/** The code oathtool computes for the secret and parameters of a decoded otpauth URI. */
async function oathtool(otpauthUri: string, epoch: number): Promise<string> {
  const q = new URL(otpauthUri).searchParams;
  const algorithm = (q.get('algorithm') ?? 'SHA1').toLowerCase();
  const { stdout } = await run(
    'oathtool',
    [
      `--totp=${algorithm}`,
      '--digits',
      q.get('digits') ?? '6',
      '--time-step-size',
      `${q.get('period') ?? '30'}s`,
      '--now',
      `@${epoch}`,
      '--base32',
      q.get('secret') ?? '',
    ],
    { encoding: 'utf8' },
  );
  return stdout.trim();
}

function qrConfig(json: Record<string, unknown> = {}): QrOtpConfig {
  return parseConfig('qr-otp', { company: 'ACME & Co', ...json }).config;
}

function user(upn = UPN): UserRecord {
  return {
    upn,
    secret: 'stored-elsewhere',
    enabled: true,
    logon: 0,
    lastlogon: null,
    logoncount: 0,
    failedlogoncount: 0,
    failedlastlogon: null,
    failedcode: null,
    logonip: null,
    useragent: null,
    laststep: -1,
    email: null,
    mobile: null,
  } as UserRecord;
}

/** A real core logger (verbose) whose JSON lines are captured. */
function captureLogger() {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) =>
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
  );
  const logger = createLogger({
    source: 'Secure MFA OTP',
    console: false,
    verbose: true,
    transports: [new winston.transports.Stream({ stream })],
  });
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    logger,
    lines: async () => {
      await settle();
      return [...lines];
    },
    records: async () => {
      await settle();
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

function channelFor(config: QrOtpConfig, logger = captureLogger().logger): QrChannel {
  return createQrChannel({ config, logger, ...qrTotpParameters(config) });
}

describe('createQrChannel: the locally drawn QR code (zbarimg, oathtool)', () => {
  it('draws a PNG that zbarimg decodes to exactly the otpauth URI, whose code oathtool computes as core does', async () => {
    const secret = generateSecret();
    const channel = channelFor(qrConfig());
    expect(channel.mode).toBe('app');
    expect(channel.name).toBe('authenticator');
    expect(channel.externalImageOrigin).toBeUndefined();

    const p = await channel.enrolment(user(), secret, 'en', { ip: '203.0.113.9' });
    expect(p.title).toBe(t('en', 'enrol.title'));
    expect(p.message).toBe(t('en', 'enrol.instruction'));
    expect(p.html).toBeUndefined();
    const e = p.enrollment!;
    expect(e).toMatchObject({ secret, width: 150, height: 150 });
    expect(e.otpauthUri).toBe(
      `otpauth://totp/ACME%20%26%20Co:alice%40adatum.labnet?secret=${secret}&issuer=ACME%20%26%20Co`,
    );
    expect(await scan(e.qrImage)).toBe(e.otpauthUri);

    const uri = new URL(e.otpauthUri);
    expect(decodeURIComponent(uri.pathname.slice(1))).toBe(`ACME & Co:${UPN}`);
    expect(uri.searchParams.get('issuer')).toBe('ACME & Co');
    const code = await oathtool(e.otpauthUri, T0);
    expect(code).toMatch(/^\d{6}$/);
    expect(code).toBe(generateTotp({ secret, epoch: T0 }));
    expect(verifyTotp({ secret, token: code, epoch: T0 + 30 })).toMatchObject({ valid: true });
    // Control: the oracle is not trivially agreeing — another instant gives another code.
    expect(await oathtool(e.otpauthUri, T0 + 300)).toBe(generateTotp({ secret, epoch: T0 + 300 }));
  });

  it('hides the account prefix with totp_remove_user_prefix (label = the UPN domain)', async () => {
    const secret = generateSecret();
    const p = await channelFor(qrConfig({ totp_remove_user_prefix: 'true' })).enrolment(
      user('Test1.Test1@adatum.labnet'),
      secret,
      'en',
      {},
    );
    const uri = p.enrollment!.otpauthUri;
    expect(await scan(p.enrollment!.qrImage)).toBe(uri);
    expect(decodeURIComponent(new URL(uri).pathname.slice(1))).toBe('ACME & Co:adatum.labnet');
    expect(uri).not.toMatch(/test1/i);
  });

  it('uses the issuer SecureMFA when company is empty, and the user’s language', async () => {
    const p = await channelFor(qrConfig({ company: '' })).enrolment(
      user(),
      generateSecret(),
      'de',
      {},
    );
    expect(p.title).toBe(t('de', 'enrol.title'));
    expect(p.message).toBe(t('de', 'enrol.instruction'));
    expect(p.title).not.toBe(t('en', 'enrol.title'));
    const uri = new URL(await scan(p.enrollment!.qrImage));
    expect(uri.searchParams.get('issuer')).toBe('SecureMFA');
    expect(decodeURIComponent(uri.pathname.slice(1))).toBe(`SecureMFA:${UPN}`);
  });

  it('with totp_customization: digits and algorithm from the advanced params, period from totp_validity_seconds; oathtool agrees with core', async () => {
    const config = qrConfig({
      totp_customization: 'true',
      totp_validity_seconds: '60',
      totp_api_otpauth_advanced_params: '&algorithm=SHA256&digits=8',
    });
    const params = qrTotpParameters(config);
    expect(params).toEqual({ step: 60, digits: 8, algorithm: 'SHA256' });
    const secret = generateSecret();
    const p = await channelFor(config).enrolment(user(), secret, 'en', {});
    const scanned = await scan(p.enrollment!.qrImage);
    expect(scanned).toBe(p.enrollment!.otpauthUri);
    const q = new URL(scanned).searchParams;
    expect([q.get('algorithm'), q.get('digits'), q.get('period')]).toEqual(['SHA256', '8', '60']);

    const code = await oathtool(scanned, T0);
    expect(code).toMatch(/^\d{8}$/);
    expect(code).toBe(generateTotp({ secret, epoch: T0, ...params }));
    expect(verifyTotp({ secret, token: code, epoch: T0, ...params })).toMatchObject({
      valid: true,
    });
    // A SHA1 verifier would not accept what the app now makes.
    expect(verifyTotp({ secret, token: code, epoch: T0, step: 60, digits: 8 }).valid).toBe(false);
  });

  it.each<[TotpAlgorithm, 6 | 7 | 8]>([
    ['SHA1', 7],
    ['SHA512', 6],
  ])('advanced params %s / %i digits scan and verify through oathtool', async (alg, digits) => {
    const config = qrConfig({
      totp_customization: true,
      totp_api_otpauth_advanced_params: `&algorithm=${alg}&digits=${digits}`,
    });
    const secret = generateSecret();
    const p = await channelFor(config).enrolment(user(), secret, 'en', {});
    const scanned = await scan(p.enrollment!.qrImage);
    const code = await oathtool(scanned, T0);
    expect(code).toHaveLength(digits);
    expect(code).toBe(generateTotp({ secret, epoch: T0, ...qrTotpParameters(config) }));
  });

  it('passes an https image parameter through, and ignores the advanced params without totp_customization', async () => {
    const on = await channelFor(
      qrConfig({
        totp_customization: true,
        totp_api_otpauth_advanced_params: '&image=https%3A%2F%2Flogo.example%2Fl.png',
      }),
    ).enrolment(user(), generateSecret(), 'en', {});
    expect(new URL(on.enrollment!.otpauthUri).searchParams.get('image')).toBe(
      'https://logo.example/l.png',
    );

    const config = qrConfig({ totp_api_otpauth_advanced_params: '&algorithm=SHA256&digits=8' });
    expect(qrTotpParameters(config)).toEqual({ step: 30, digits: 6, algorithm: 'SHA1' });
    const off = await channelFor(config).enrolment(user(), generateSecret(), 'en', {});
    const scanned = await scan(off.enrollment!.qrImage);
    expect(scanned).toBe(off.enrollment!.otpauthUri);
    expect(scanned).not.toMatch(/algorithm|digits|period/);
  });

  it.each([
    [150, 150],
    [200, 120],
    [100, 100],
    [50, 50],
  ])(
    'width %i × height %i: a square PNG at least min(width, height) wide, crisp, that still scans',
    async (width, height) => {
      const p = await channelFor(
        qrConfig({ totp_image_width_pixels: width, totp_image_height_pixels: height }),
      ).enrolment(
        user('a.rather.long.account.name@subdomain.adatum.labnet'),
        generateSecret(),
        'en',
        {},
      );
      const e = p.enrollment!;
      expect([e.width, e.height]).toEqual([width, height]);
      const size = pngSize(e.qrImage);
      expect(size.width).toBe(size.height);
      expect(size.width).toBeGreaterThanOrEqual(Math.min(width, height));
      // Whole pixels per module: (version·4 + 17 + 8 quiet-zone modules) divides the width.
      const modulesPlusQuietZone = [...Array(40).keys()]
        .map((v) => (v + 1) * 4 + 17 + 8)
        .filter((m) => size.width % m === 0);
      expect(modulesPlusQuietZone.length).toBeGreaterThan(0);
      expect(size.width).toBeLessThan(Math.min(width, height) + 200); // not absurdly larger
      expect(await scan(e.qrImage)).toBe(e.otpauthUri);
    },
  );

  it('keeps nothing between users: each enrolment carries only its own secret', async () => {
    const channel = channelFor(qrConfig());
    const [s1, s2] = [generateSecret(), generateSecret()];
    const p1 = await channel.enrolment(user('one@adatum.labnet'), s1, 'en', {});
    const p2 = await channel.enrolment(user('two@adatum.labnet'), s2, 'en', {});
    const [u1, u2] = [await scan(p1.enrollment!.qrImage), await scan(p2.enrollment!.qrImage)];
    expect(new URL(u1).searchParams.get('secret')).toBe(s1);
    expect(new URL(u2).searchParams.get('secret')).toBe(s2);
    expect(JSON.stringify(p2)).not.toContain(s1);
    expect(u2).toContain('two%40adatum.labnet');
  });

  it('gives the manual key in the canonical form the URI carries', async () => {
    const secret = generateSecret();
    const spaced = secret.toLowerCase().replace(/(.{4})/g, '$1 ');
    const p = await channelFor(qrConfig()).enrolment(user(), spaced, 'en', {});
    expect(p.enrollment!.secret).toBe(secret);
    expect(new URL(await scan(p.enrollment!.qrImage)).searchParams.get('secret')).toBe(secret);
  });
});

describe('createQrChannel: the external QR service (totp_api_endpoint)', () => {
  it('appends the URL-encoded otpauth URI to the endpoint, names its origin, and warns once without the secret', async () => {
    const log = captureLogger();
    const config = qrConfig({ totp_customization: true, totp_api_endpoint: ENDPOINT });
    const channel = channelFor(config, log.logger);
    expect(channel.externalImageOrigin).toBe('https://qr.example.test');

    const secrets = [generateSecret(), generateSecret()];
    for (const secret of secrets) {
      const p = await channel.enrolment(user(), secret, 'en', { ip: '10.0.0.1' });
      const e = p.enrollment!;
      expect(e.qrImage).toBe(`${ENDPOINT}${encodeURIComponent(e.otpauthUri)}`);
      const url = new URL(e.qrImage);
      expect(url.origin).toBe('https://qr.example.test');
      expect(url.searchParams.get('size')).toBe('150x150');
      expect(url.searchParams.get('data')).toBe(e.otpauthUri);
      expect(new URL(e.otpauthUri).searchParams.get('secret')).toBe(secret);
    }

    const records = await log.records();
    const warnings = records.filter(
      (r) => r.level === 'warn' && String(r.message).includes('totp_api_endpoint'),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/every enrolment secret/);
    expect(warnings[0]!.message).toContain('https://qr.example.test');
    const text = (await log.lines()).join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('otpauth');
  });

  it('draws locally, with no origin and no warning, when totp_customization is off', async () => {
    const log = captureLogger();
    const channel = channelFor(qrConfig({ totp_api_endpoint: ENDPOINT }), log.logger);
    expect(channel.externalImageOrigin).toBeUndefined();
    const p = await channel.enrolment(user(), generateSecret(), 'en', {});
    expect(p.enrollment!.qrImage).toMatch(/^data:image\/png;base64,/);
    expect(await scan(p.enrollment!.qrImage)).toBe(p.enrollment!.otpauthUri);
    expect((await log.records()).filter((r) => r.level === 'warn')).toEqual([]);
  });
});

describe("externalQrEndpoint: the image URL stays on the endpoint's origin", () => {
  const endpoint = (totp_api_endpoint: string) =>
    externalQrEndpoint({ totp_customization: true, totp_api_endpoint });

  it.each([
    [ENDPOINT, 'https://qr.example.test'],
    ['https://qr.example.test?data=', 'https://qr.example.test'],
    ['https://qr.example.test/', 'https://qr.example.test'],
    ['https://qr.example.test/chart?cht=qr&chl=', 'https://qr.example.test'],
    ['http://127.0.0.1:8080/qr?data=', 'http://127.0.0.1:8080'],
    ['HTTPS://QR.Example.Test:443/qr?data=', 'https://qr.example.test'],
  ])('accepts %s (origin %s); the appended URI keeps that origin', (text, origin) => {
    expect(endpoint(text)).toEqual({ endpoint: text, origin });
    const uri = 'otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME';
    expect(new URL(`${text}${encodeURIComponent(uri)}`).origin).toBe(origin);
  });

  it.each([
    [
      'a bare host (the URI would extend the host name)',
      'https://qr.example.test',
      /not in the host name/,
    ],
    ['a bare host and port', 'https://qr.example.test:8443', /not in the host name/],
    [
      'a user name and password',
      'https://user:key@qr.example.test/?data=',
      /user name or password/,
    ],
    ['a fragment (the URI would never be sent)', 'https://qr.example.test/#data=', /"#"/],
  ])('refuses %s, naming the origin only and how to fix it', (_what, text, reason) => {
    let err: unknown;
    try {
      endpoint(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    const { message, hint } = err as { message: string; hint?: string };
    expect(message).toMatch(reason);
    expect(message).toContain('totp_api_endpoint');
    expect(message).not.toContain('key@');
    expect(hint).toMatch(/data=/);
    // A config built in code: the loader would refuse this endpoint first (exit 2).
    expect(() => qrConfig({ totp_customization: true, totp_api_endpoint: text })).toThrow(reason);
    expect(() =>
      createQrChannel({
        config: { ...qrConfig({ totp_customization: true }), totp_api_endpoint: text },
        logger: captureLogger().logger,
      }),
    ).toThrow(reason);
  });

  it('is undefined (draw locally) when the endpoint is empty or totp_customization is off', () => {
    expect(endpoint('')).toBeUndefined();
    expect(externalQrEndpoint({ totp_customization: false, totp_api_endpoint: ENDPOINT })).toBe(
      undefined,
    );
  });
});

describe('createQrChannel: ui_allow_qr_display_from_networks', () => {
  const networks = '10.0.0.0/8;2001:db8::/32';

  it.each([
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['2001:db8::7', true],
    ['2001:DB8:0:0:0:0:0:7', true],
    ['192.0.2.1', false],
    ['::ffff:192.0.2.1', false],
    ['2001:db9::1', false],
    ['::1', false],
    [undefined, false],
  ])('client %s → QR shown: %s', async (ip, shown) => {
    const channel = channelFor(
      qrConfig({ ui_customization: true, ui_allow_qr_display_from_networks: networks }),
    );
    const secret = generateSecret();
    const p = await channel.enrolment(user(), secret, 'en', ip === undefined ? {} : { ip });
    expect(p.title).toBe(t('en', 'enrol.title'));
    if (shown) {
      expect(p.message).toBe(t('en', 'enrol.instruction'));
      expect(await scan(p.enrollment!.qrImage)).toBe(p.enrollment!.otpauthUri);
    } else {
      expect(p.message).toBe(t('en', 'enrol.qr_not_allowed'));
      expect(p.enrollment).toBeUndefined();
      expect(p.html).toBeUndefined();
      const json = JSON.stringify(p);
      expect(json).not.toContain(secret);
      expect(json).not.toContain('otpauth');
    }
  });

  it('logs a refused display as event 5553 with the UPN and address, never the secret', async () => {
    const log = captureLogger();
    const channel = channelFor(
      qrConfig({ ui_customization: true, ui_allow_qr_display_from_networks: networks }),
      log.logger,
    );
    const secret = generateSecret();
    await channel.enrolment(user(), secret, 'fr', { ip: '198.51.100.7' });
    await channel.enrolment(user(), secret, 'fr', {});
    const refused = (await log.records()).filter((r) => r.eventId === 5553);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({
      level: 'warn',
      outcome: 'failure',
      upn: UPN,
      ip: '198.51.100.7',
      reason: 'qr_network_not_allowed',
    });
    expect(refused[1]).toMatchObject({ upn: UPN, reason: 'qr_network_unknown' });
    expect((await log.lines()).join('\n')).not.toContain(secret);
  });

  it('shows the QR everywhere when ui_customization is off (the list has no effect), or the list is empty', async () => {
    for (const config of [
      qrConfig({ ui_customization: false, ui_allow_qr_display_from_networks: networks }),
      qrConfig({ ui_customization: true, ui_allow_qr_display_from_networks: '' }),
    ]) {
      const channel = channelFor(config);
      for (const meta of [{ ip: '192.0.2.1' }, {}]) {
        const p = await channel.enrolment(user(), generateSecret(), 'en', meta);
        expect(p.enrollment?.qrImage).toMatch(/^data:image\/png;base64,/);
      }
    }
  });
});

describe('createQrChannel: ui_first_login_text', () => {
  const custom =
    '<b>Scan</b> the code &amp; sign in. <a href="https://help.example/enrol" onclick="steal()">Help</a>' +
    '<script>alert(1)</script><img src=x onerror="alert(2)">';

  it('is sanitised into html (no script, no event handlers, no img) and given as plain text in message', async () => {
    const p = await channelFor(
      qrConfig({ ui_customization: true, ui_first_login_text: custom }),
    ).enrolment(user(), generateSecret(), 'en', {});
    expect(p.html).toBe(
      '<b>Scan</b> the code &amp; sign in. <a href="https://help.example/enrol" rel="noopener noreferrer">Help</a>',
    );
    expect(p.html).not.toMatch(/script|onerror|onclick|<img/i);
    expect(p.message).toBe('Scan the code & sign in. Help');
    expect(await scan(p.enrollment!.qrImage)).toBe(p.enrollment!.otpauthUri);
  });

  it('is ignored without ui_customization, and when nothing survives sanitising', async () => {
    for (const config of [
      qrConfig({ ui_customization: false, ui_first_login_text: custom }),
      qrConfig({ ui_customization: true, ui_first_login_text: '<script>alert(1)</script>' }),
      qrConfig({ ui_customization: true, ui_first_login_text: '' }),
    ]) {
      const p = await channelFor(config).enrolment(user(), generateSecret(), 'en', {});
      expect(p.message).toBe(t('en', 'enrol.instruction'));
      expect(p.html).toBeUndefined();
    }
  });
});

describe('createQrChannel: logging', () => {
  it('writes no secret, otpauth URI or image URL to any log line, even verbose', async () => {
    const log = captureLogger();
    const secrets: string[] = [];
    const uris: string[] = [];
    const configs = [
      qrConfig(),
      qrConfig({ totp_customization: true, totp_api_endpoint: ENDPOINT }),
      qrConfig({ ui_customization: true, ui_allow_qr_display_from_networks: '10.0.0.0/8' }),
      qrConfig({
        totp_customization: true,
        totp_api_otpauth_advanced_params: '&algorithm=SHA1&foo=bar',
      }),
    ];
    for (const config of configs) {
      const channel = channelFor(config, log.logger);
      for (const ip of ['10.1.1.1', '192.0.2.1', undefined]) {
        const secret = generateSecret();
        secrets.push(secret);
        const p = await channel.enrolment(user(), secret, 'en', ip === undefined ? {} : { ip });
        if (p.enrollment !== undefined) uris.push(p.enrollment.otpauthUri);
      }
    }
    const lines = await log.lines();
    expect(lines.length).toBeGreaterThanOrEqual(4); // warning, refusals, advanced-param warning
    expect(
      lines.some((l) => l.includes('foo') && l.includes('is not a supported otpauth parameter')),
    ).toBe(true);
    const text = lines.join('\n');
    expect(uris.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text.toUpperCase()).not.toContain(secret);
    }
    for (const uri of uris) expect(text).not.toContain(encodeURIComponent(uri));
    expect(text).not.toContain('otpauth:');
    expect(text).not.toContain('secret=');
  });
});

describe('createQrChannel: misuse', () => {
  it('throws a TypeError without a config or logger, a RangeError for unsupported TOTP parameters', () => {
    const logger = captureLogger().logger;
    expect(() =>
      createQrChannel({ logger } as unknown as Parameters<typeof createQrChannel>[0]),
    ).toThrow(TypeError);
    expect(() =>
      createQrChannel({ config: qrConfig() } as unknown as Parameters<typeof createQrChannel>[0]),
    ).toThrow(/"logger"/);
    expect(() =>
      createQrChannel({ config: qrConfig(), logger, digits: 9 as unknown as 6 }),
    ).toThrow(RangeError);
    expect(() => createQrChannel({ config: qrConfig(), logger, step: 0 })).toThrow(/"step"/);
  });
});
