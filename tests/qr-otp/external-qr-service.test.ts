// The originals' external QR service (`totp_api_endpoint`, seed 003 "QR code customizations")
// end to end over real sockets: a tiny node:http server on 127.0.0.1 plays the QR service
// (it answers every image request with a PNG and records what it was sent), and a real QR OTP
// node (createProviderRuntime + createRuntimeHost, the code `serve` runs) is configured to use
// it. The config and the node warn that the service learns every enrolment secret; the adapter
// API's qrImage is the service's URL with the otpauth URI in its query; the hosted page draws
// exactly that image, the CSP img-src allows exactly that origin, and the manual key and the
// otpauth link are still shown. A node without the setting draws the QR locally (data: URL) and
// its CSP names no other origin.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  MemoryStore,
  checkConfig,
  createSilentLogger,
  type Adapter,
  type BeginResult,
} from '@securemfa/core';
import { createProviderHost, hostedPage } from '@securemfa/core/http';
import { parseOtpauthUri } from '../helpers/e2e-otp-tools.js';
import {
  openHostedPage,
  postJson,
  qrConfig,
  startQrNode,
  type HttpResult,
  type QrNode,
} from '../helpers/e2e-qr-host.js';

// A project's testTimeout is ignored when jest runs from the repository root: set it here.
jest.setTimeout(60_000);

/** A 1×1 PNG: what the stand-in QR service answers (the page only has to point at it). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SERVICE_PATH = '/v1/create-qr-code/';

let dir: string;
let apiKey: string;
let service: Server;
/** `http://127.0.0.1:<port>` of the stand-in QR service. */
let serviceOrigin: string;
/** totp_api_endpoint as configured: the service URL ending in the parameter the URI goes to. */
let endpoint: string;
/** Requests the QR service received: path with query, and headers. */
const served: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];
let external: QrNode;
let local: QrNode;
let externalLog: string;
let localLog: string;

const baseConfig = (name: string) => ({
  company: 'E2E Contoso',
  auth_mode: 'SQLITE',
  sqlite_path: join(dir, `${name}.db`),
  adapter_api_key: apiKey,
  rate_limit_per_ip_per_minute: '100000',
  rate_limit_per_user_per_minute: '100000',
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-qr-external-'));
  apiKey = randomBytes(32).toString('base64url');
  service = createServer((req, res) => {
    served.push({ url: req.url ?? '', headers: req.headers });
    if (req.method !== 'GET' || !(req.url ?? '').startsWith(SERVICE_PATH)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
  });
  await new Promise<void>((resolve, reject) => {
    service.once('error', reject);
    service.listen(0, '127.0.0.1', resolve);
  });
  serviceOrigin = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  endpoint = `${serviceOrigin}${SERVICE_PATH}?size=150x150&data=`;

  externalLog = join(dir, 'external.log');
  localLog = join(dir, 'local.log');
  external = await startQrNode(
    qrConfig({
      ...baseConfig('external'),
      totp_customization: 'true',
      totp_api_endpoint: endpoint,
    }),
    { configDir: dir, logFile: externalLog },
  );
  local = await startQrNode(qrConfig(baseConfig('local')), { configDir: dir, logFile: localLog });
});

afterAll(async () => {
  await external?.close();
  await local?.close();
  if (service !== undefined) await new Promise<void>((resolve) => service.close(() => resolve()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** The JSON records of a node's log file, waiting (up to 5 s) until `until` holds. */
async function logRecords(
  file: string,
  until: (records: Record<string, unknown>[]) => boolean = () => true,
): Promise<Record<string, unknown>[]> {
  let records: Record<string, unknown>[] = [];
  for (let i = 0; i < 50; i += 1) {
    const text = await readFile(file, 'utf8').catch(() => '');
    records = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    if (until(records)) break;
    await sleep(100);
  }
  return records;
}

const endpointWarning = (r: Record<string, unknown>) =>
  r.level === 'warn' && String(r.message).includes('totp_api_endpoint');

/** GET the hosted page for a new user with a freshly signed request. */
async function openPage(node: QrNode, upn: string): Promise<HttpResult> {
  const page = await openHostedPage(node.base, {
    secret: apiKey,
    audience: 'qr-otp',
    upn,
    returnTo: 'https://app.contoso.test/cb',
    state: 's-1',
  });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  return page;
}

/** The value of an attribute as the browser reads it (the page escapes & < > " '). */
const unescapeAttr = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** What the page shows for enrolment. */
function enrolmentOf(html: string): {
  img: string[];
  rawSrc: string | undefined;
  otpauth: string | undefined;
  manualKey: string | undefined;
} {
  const img = [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]!);
  const link = /<a id="openInApp" class="actionLink" href="([^"]*)"/.exec(html);
  const key = /<code id="manualKey">([^<]*)<\/code>/.exec(html);
  return {
    img: img.map(unescapeAttr),
    rawSrc: img[0],
    otpauth: link === null ? undefined : unescapeAttr(link[1]!),
    manualKey: key === null ? undefined : key[1]!.replace(/ /g, ''),
  };
}

/** The sources of the CSP img-src directive. */
function imgSrc(response: HttpResult): string[] {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directive = csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('img-src '));
  expect(directive).toBeDefined();
  return directive!.split(/\s+/).slice(1);
}

describe('totp_api_endpoint set: the external QR service', () => {
  it('the config check and the running node warn that the service learns every enrolment secret', async () => {
    const checked = checkConfig('qr-otp', {
      ...baseConfig('check'),
      totp_customization: 'true',
      totp_api_endpoint: endpoint,
    });
    expect(checked.error).toBeUndefined();
    expect(checked.warnings.map((w) => [w.key, w.message])).toContainEqual([
      'totp_api_endpoint',
      expect.stringMatching(/every enrolment secret/),
    ]);

    const records = await logRecords(externalLog, (rs) => rs.some(endpointWarning));
    const warnings = records.filter(endpointWarning);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/every enrolment secret is sent to the external QR/);
    expect(warnings[0]!.message).toContain(serviceOrigin);
    // The origin only: never the endpoint's path or query (it may hold the service's API key).
    expect(JSON.stringify(warnings[0])).not.toContain(SERVICE_PATH);
  });

  it('POST /adapter/begin → enroll with qrImage = the endpoint + the URL-encoded otpauth URI', async () => {
    const r = await postJson(
      external.base,
      '/adapter/begin',
      { upn: 'amy@contoso.test', userAgent: 'e2e-test' },
      apiKey,
    );
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('enroll');
    const { otpauthUri, qrImage, secret } = r.json.presentation.enrollment;
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(qrImage).toBe(`${endpoint}${encodeURIComponent(otpauthUri)}`);
    const url = new URL(qrImage);
    expect(url.origin).toBe(serviceOrigin);
    expect(url.pathname).toBe(SERVICE_PATH);
    expect(url.searchParams.get('size')).toBe('150x150');
    expect(url.searchParams.get('data')).toBe(otpauthUri);
    expect(parseOtpauthUri(otpauthUri).secret).toBe(secret);
  });

  it('GET /mfa draws the image from the service (attribute-escaped), its CSP img-src allows exactly that origin, and the manual key and otpauth link stay', async () => {
    const page = await openPage(external, 'ben@contoso.test');
    const shown = enrolmentOf(page.text);
    expect(shown.otpauth).toMatch(/^otpauth:\/\/totp\/E2E%20Contoso:ben%40contoso.test\?/);
    const otpauth = shown.otpauth!;
    const secret = parseOtpauthUri(otpauth).secret;
    expect(shown.manualKey).toBe(secret);
    // One image: the service's URL with the URI the page links to, "&" escaped in the HTML.
    expect(shown.img).toEqual([`${endpoint}${encodeURIComponent(otpauth)}`]);
    expect(shown.rawSrc).toContain('&amp;data=');
    expect(page.text).toMatch(/<img id="qrImage" src="[^"]*" width="150" height="150"/);

    expect(imgSrc(page)).toEqual(["'self'", 'data:', serviceOrigin]);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp.split(serviceOrigin)).toHaveLength(2); // named once, in img-src only
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    // The page URL carries the request JWT: the image request must not send it as Referer.
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('<meta name="referrer" content="no-referrer">');

    // What the browser then does: load the image from the service, which receives the URI.
    served.length = 0;
    const image = await fetch(shown.img[0]!, { signal: AbortSignal.timeout(10_000) });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await image.arrayBuffer())
        .subarray(0, 8)
        .toString('hex'),
    ).toBe('89504e470d0a1a0a');
    expect(served).toHaveLength(1);
    const received = new URL(served[0]!.url, serviceOrigin);
    expect(received.pathname).toBe(SERVICE_PATH);
    expect(received.searchParams.get('data')).toBe(otpauth);
  });
});

describe('totp_api_endpoint empty: the QR code is drawn locally', () => {
  it('begin and the page give a data: PNG, the CSP names no other origin, and nothing warns', async () => {
    const r = await postJson(
      local.base,
      '/adapter/begin',
      { upn: 'cleo@contoso.test', userAgent: 'e2e-test' },
      apiKey,
    );
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('enroll');
    expect(r.json.presentation.enrollment.qrImage).toMatch(
      /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/,
    );
    expect(imgSrc(r)).toEqual(["'self'", 'data:']);

    served.length = 0;
    const page = await openPage(local, 'dan@contoso.test');
    const shown = enrolmentOf(page.text);
    expect(shown.img).toHaveLength(1);
    expect(shown.img[0]).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(shown.otpauth).toMatch(/^otpauth:\/\/totp\/E2E%20Contoso:dan%40contoso.test\?/);
    expect(shown.manualKey).toBe(parseOtpauthUri(shown.otpauth!).secret);
    expect(imgSrc(page)).toEqual(["'self'", 'data:']);
    // The only other origin in the policy is return_to's, in form-action.
    const csp = page.headers.get('content-security-policy')!;
    expect(csp.match(/https?:\/\/[^\s;]+/g)).toEqual(['https://app.contoso.test']);
    expect(csp).toMatch(/form-action 'self' https:\/\/app\.contoso\.test(?:;|$)/);
    expect(page.text).not.toContain(serviceOrigin);
    expect(served).toEqual([]); // nothing reached the QR service

    // The node started before these requests: a start-up warning would be in its log by now
    // (the other node's was, see above).
    await sleep(200);
    expect((await logRecords(localLog)).filter(endpointWarning)).toEqual([]);
    expect(
      checkConfig('qr-otp', baseConfig('check')).warnings.filter(
        (w) => w.key === 'totp_api_endpoint',
      ),
    ).toEqual([]);
  });
});

describe('the page draws an external image only from the origin the host allows', () => {
  it('a scripted adapter returning images from elsewhere: no <img>, the manual key stays', async () => {
    // The host allows the QR service's origin (as a qr-otp node with totp_api_endpoint does);
    // the adapter returns images from other places. None is drawn.
    let qrImage = '';
    const otpauthUri = 'otpauth://totp/E2E:eve%40contoso.test?secret=JBSWY3DPEHPK3PXP&issuer=E2E';
    const adapter = {
      metadata: () => ({}),
      isAvailableForUser: async () => true,
      begin: async (): Promise<BeginResult> => ({
        context: 'scripted-context',
        status: 'enroll',
        presentation: {
          title: 'Enrol',
          message: 'Scan',
          enrollment: { otpauthUri, qrImage, secret: 'JBSWY3DPEHPK3PXP', width: 150, height: 150 },
        },
      }),
      end: async () => {
        throw new Error('not used');
      },
    } as unknown as Adapter;
    const store = new MemoryStore();
    const app = await createProviderHost({
      adapter,
      store,
      logger: createSilentLogger(),
      apiKey,
      limits: { perIpPerMinute: 0, perUserPerMinute: 0 },
      processMetrics: false,
      imageOrigins: [serviceOrigin],
      extensions: [hostedPage({ secret: apiKey, audience: 'qr-otp' })],
    });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const node = {
        base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      } as QrNode;
      const port = new URL(serviceOrigin).port;
      const refused = [
        `https://127.0.0.1:${port}${SERVICE_PATH}?data=x`, // the allowed host, another scheme
        `http://127.0.0.1:${Number(port) + 1}${SERVICE_PATH}?data=x`, // another port
        `http://localhost:${port}${SERVICE_PATH}?data=x`, // another host name
        `http://user:pw@127.0.0.1:${port}${SERVICE_PATH}?data=x`, // credentials
        `javascript:alert(1)//${serviceOrigin}/`,
        `${serviceOrigin}${SERVICE_PATH}?data=\nx`, // a newline the URL parser would drop
        'not a url',
      ];
      for (const image of refused) {
        qrImage = image;
        const page = await openPage(node, 'eve@contoso.test');
        expect(imgSrc(page)).toEqual(["'self'", 'data:', serviceOrigin]);
        const shown = enrolmentOf(page.text);
        expect({ image, img: shown.img }).toEqual({ image, img: [] });
        expect(shown.manualKey).toBe('JBSWY3DPEHPK3PXP');
        expect(shown.otpauth).toBe(otpauthUri);
        expect(page.text).not.toContain('javascript:');
      }
      // Control: the allowed origin is drawn.
      qrImage = `${serviceOrigin}${SERVICE_PATH}?size=150x150&data=${encodeURIComponent(otpauthUri)}`;
      expect(enrolmentOf((await openPage(node, 'eve@contoso.test')).text).img).toEqual([qrImage]);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
