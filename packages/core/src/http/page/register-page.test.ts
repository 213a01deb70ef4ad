// Option checks of the hosted page (no socket). Routing over a real socket, with a scripted and
// a real adapter, is in test/hosted-page.int.test.ts (fastify's inject cannot load under Jest ESM).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import type { Adapter } from '../../adapter/adapter.js';
import { createSilentLogger } from '../../log/logger.js';
import { MemoryStore } from '../../store/memory.js';
import type { HostContext } from '../create-host.js';
import { createHostMetrics } from '../metrics.js';
import { createRateLimiter } from '../rate-limit.js';
import { hostedPage, pagePaths, type HostedPageOptions } from './register-page.js';

const secret = 'register-page-test-key-0123456789abc';
const audience = 'urn:securemfa:test';
/** Register the page on a bare fastify (registration fails before any route for a bad theme). */
async function build(options: Partial<HostedPageOptions> = {}): Promise<void> {
  const app = Fastify();
  const context = {
    adapter: {} as Adapter,
    store: new MemoryStore(),
    logger: createSilentLogger(),
    metrics: createHostMetrics(),
    perUser: createRateLimiter({ limit: 0 }),
    negotiate: (explicit: string | undefined) => explicit ?? 'en',
    imageOrigins: [],
  } satisfies HostContext;
  try {
    await hostedPage({ secret, audience, ...options })(app, context);
  } finally {
    await app.close();
  }
}

describe('hostedPage options', () => {
  it('refuses a short key, an empty audience and bad numbers', () => {
    expect(() => hostedPage({ secret: 'short', audience })).toThrow(TypeError);
    expect(() => hostedPage({ secret, audience: ' ' })).toThrow(TypeError);
    expect(() => hostedPage({ secret, audience, codeDigits: 9 })).toThrow(RangeError);
    expect(() => hostedPage({ secret, audience, postGraceSeconds: 0 })).toThrow(RangeError);
    expect(() => hostedPage({ secret, audience, pathPrefix: 'x/' })).toThrow(TypeError);
  });

  it('a theme_css_file that cannot be read fails registration with ERR_CONFIG_NOT_FOUND', async () => {
    await expect(build({ themeCssFile: '/nonexistent/securemfa/style.css' })).rejects.toMatchObject(
      {
        code: 'ERR_CONFIG_NOT_FOUND',
        message: expect.stringContaining('theme_css_file'),
      },
    );
  });

  it('a theme_css_file that is a directory fails registration the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'securemfa-theme-'));
    try {
      await expect(build({ themeCssFile: dir })).rejects.toMatchObject({
        code: 'ERR_CONFIG_NOT_FOUND',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('pagePaths', () => {
  it('puts the page and its stylesheet under the prefix', () => {
    expect(pagePaths('')).toEqual({ page: '/mfa', stylesheet: '/mfa/assets/style.css' });
    expect(pagePaths('/a/b')).toEqual({
      page: '/a/b/mfa',
      stylesheet: '/a/b/mfa/assets/style.css',
    });
    expect(() => pagePaths('/a/')).toThrow(TypeError);
    expect(() => pagePaths('/a b')).toThrow(TypeError);
  });
});
