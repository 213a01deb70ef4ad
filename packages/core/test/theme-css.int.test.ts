// theme_css_file end to end through the real `serve` command (in-process, memoryIo, a real socket
// on 127.0.0.1): a config file of each provider naming a stylesheet by a path relative to the
// config file's folder (serve started from another working directory) gets that stylesheet at
// /mfa/assets/style.css, the page links it, and the Content-Security-Policy stays free of
// external origins; a config naming a file that cannot be read stops serve with exit code 2 and
// a message naming the key and the resolved path. The channel is a stub: only the host matters.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProviderDefinition, ProviderId } from '../src/adapter/provider-definition.js';
import { memoryIo } from '../src/cli/io.js';
import { runProviderCli } from '../src/cli/program.js';
import { CONFIG_FILE_NAMES, PROVIDER_IDS } from '../src/config/schema/config-schemas.js';
import { signJwt } from '../src/crypto/page-jwt.js';
import { DEFAULT_STYLESHEET } from '../src/http/page/default-style.js';

const THEME = '/* exported AD FS web theme */\n#fullPage { background: #0a3d62; }\n';
const RETURN_TO = 'https://app.adatum.test/signin/callback';

function definition(id: ProviderId): ProviderDefinition {
  return {
    id,
    bin: `securemfa-${id}`,
    title: `theme test ${id}`,
    version: '0.0.0-test',
    configFileName: CONFIG_FILE_NAMES[id],
    eventSource: 'theme test',
    createChannel: () => ({
      mode: 'app',
      name: 'authenticator',
      enrolment: async () => ({ title: 'Enrol', message: 'Scan the code' }),
    }),
  };
}

let root: string;
/** Where serve is started: not the config's folder, so a cwd-relative lookup would miss. */
let elsewhere: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'securemfa-theme-serve-'));
  elsewhere = join(root, 'elsewhere');
  await mkdir(elsewhere);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A config folder with the provider's file (and a theme under `theme/` when asked). */
async function configFolder(
  id: ProviderId,
  name: string,
  keys: Record<string, string>,
): Promise<{ dir: string; file: string; key: string }> {
  const dir = join(root, `${id}-${name}`);
  await mkdir(join(dir, 'theme'), { recursive: true });
  await writeFile(join(dir, 'theme', 'style.css'), THEME);
  const key = randomBytes(32).toString('base64url');
  const file = join(dir, CONFIG_FILE_NAMES[id]);
  await writeFile(
    file,
    JSON.stringify({
      auth_mode: 'SQLITE',
      sqlite_path: 'otp.db',
      adapter_api_key: key,
      listen_host: '127.0.0.1',
      ...keys,
    }),
  );
  return { dir, file, key };
}

/** Run `serve -c FILE --port 0` until `stop` resolves. */
function serve(id: ProviderId, file: string, stop: Promise<string>) {
  const io = memoryIo({ cwd: elsewhere, stop });
  const done = runProviderCli(
    definition(id),
    ['node', `securemfa-${id}`, 'serve', '-c', file, '--port', '0'],
    io,
  );
  return { io, done };
}

async function listeningUrl(io: ReturnType<typeof memoryIo>, done: Promise<number>) {
  const deadline = Date.now() + 20_000;
  let exited: number | undefined;
  void done.then((code) => (exited = code));
  for (;;) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(io.stdout());
    if (m !== null) return m[1]!;
    if (exited !== undefined || Date.now() > deadline) {
      throw new Error(`serve did not start (exit ${exited}):\n${io.stdout()}\n${io.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The sources a CSP allows beyond 'none', 'self' and data: — except form-action's, where the page
 * adds the origin of its signed return_to (checked on its own).
 */
function otherSources(csp: string): string[] {
  return csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter(([name]) => name !== 'form-action')
    .flatMap(([, ...sources]) => sources)
    .filter((s) => !["'none'", "'self'", 'data:'].includes(s));
}

describe.each(PROVIDER_IDS)('%s: serve with theme_css_file', (id) => {
  it('serves the theme (relative to the config file) on the page, CSP without external origins', async () => {
    const { file, key } = await configFolder(id, 'ok', { theme_css_file: 'theme/style.css' });
    let stop!: (signal: string) => void;
    const { io, done } = serve(id, file, new Promise<string>((r) => (stop = r)));
    try {
      const base = await listeningUrl(io, done);

      const css = await fetch(`${base}/mfa/assets/style.css`, {
        signal: AbortSignal.timeout(10_000),
      });
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
      const body = await css.text();
      expect(body).toBe(THEME);
      expect(body).not.toBe(DEFAULT_STYLESHEET);
      const cssPolicy = css.headers.get('content-security-policy') ?? '';
      expect(cssPolicy).toContain("default-src 'none'");
      expect(cssPolicy).toContain("style-src 'self'");
      expect(otherSources(cssPolicy)).toEqual([]);
      expect(cssPolicy).not.toMatch(/https?:|\*/);

      const request = await signJwt(
        { sub: 'alice@adatum.test', return_to: RETURN_TO, state: 's1' },
        { secret: key, now: new Date(), ttlSeconds: 300, audience: id },
      );
      const page = await fetch(`${base}/mfa?request=${encodeURIComponent(request)}`, {
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toContain('<link rel="stylesheet" href="/mfa/assets/style.css">');
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("style-src 'self'");
      expect(otherSources(policy)).toEqual([]);
      // form-action: this origin and the one signed return_to origin, nothing from the theme.
      expect(/form-action ([^;]*)/.exec(policy)?.[1]).toBe(`'self' ${new URL(RETURN_TO).origin}`);
    } finally {
      stop('SIGTERM');
    }
    expect(await done).toBe(0);
  });

  it('a theme_css_file that cannot be read stops serve with exit code 2, naming the key and the path', async () => {
    const { dir, file } = await configFolder(id, 'missing', {
      theme_css_file: 'theme/missing.css',
    });
    const { io, done } = serve(id, file, new Promise<string>(() => {}));
    expect(await done).toBe(2);
    expect(io.stderr()).toContain(
      `theme_css_file: cannot read "${join(dir, 'theme', 'missing.css')}"`,
    );
    expect(io.stderr()).toContain('point theme_css_file at a readable CSS file');
    expect(io.stdout()).not.toContain('listening on');
  });
});
