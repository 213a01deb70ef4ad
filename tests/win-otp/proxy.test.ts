// api_proxy_enable / api_proxy_server / api_proxy_port with a real proxy (tinyproxy on
// 127.0.0.1): an http portal through the proxy's forwarding, an https portal (TLS with a
// certificate made by openssl for this suite) through a CONNECT tunnel, TLS checked end to end.
// A stopped proxy is an unreachable portal, reported fast.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { oathtoolTotp, requireTool, safeStepNow } from '../helpers/e2e-otp-tools.js';
import { startQrNode, type QrNode } from '../helpers/e2e-qr-host.js';
import {
  enrolUser,
  portalConfig,
  portalSecrets,
  runAgent,
  startWinPortal,
  writeAgentConfig,
  type WinPortal,
} from '../helpers/win-portal-host.js';
import { startTinyproxy, type Tinyproxy } from '../helpers/win-tinyproxy.js';

jest.setTimeout(60_000);

let dir: string;
let portal: WinPortal;
let tlsNode: QrNode;
let tlsBase: string;
let ca: string;
let proxy: Tinyproxy;
let secret: string;

beforeAll(async () => {
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'e2e-win-proxy-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  ca = await readFile(join(dir, 'cert.pem'), 'utf8');
  const secrets = portalSecrets();
  const config = portalConfig(dir, secrets);
  portal = await startWinPortal({ dir, secrets, config });
  // A second node on the same store, serving TLS.
  tlsNode = await startQrNode(
    { ...config, tls_cert_file: join(dir, 'cert.pem'), tls_key_file: join(dir, 'key.pem') },
    { configDir: dir, logFile: join(dir, 'tls-node.log') },
  );
  tlsBase = tlsNode.base.replace(/^http:/, 'https:');
  proxy = await startTinyproxy(dir);
  secret = await enrolUser(portal, 'ivy@adatum.test');
});

afterAll(async () => {
  await proxy?.stop();
  await tlsNode?.close();
  await portal?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function agentFile(name: string, endpoint: string, viaProxy: boolean): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeAgentConfig(file, endpoint, portal.secrets, {
    api_proxy_enable: viaProxy,
    api_proxy_server: viaProxy ? proxy.host : '',
    api_proxy_port: viaProxy ? proxy.port : 8080,
    totp_offline_secret_valid_days: 0,
    api_timeout: 5000,
    log_file: `${name}.log`,
  });
  return file;
}

describe('through tinyproxy', () => {
  it('an http portal: the request goes through the proxy and the code is accepted', async () => {
    const file = await agentFile('http-proxy', portal.node.base, true);
    const epoch = await safeStepNow(30, 6);
    const r = await runAgent([
      'validate',
      '--user',
      'ivy',
      '--code',
      await oathtoolTotp(secret, epoch),
      '-c',
      file,
    ]);
    expect([r.code, r.stdout]).toEqual([0, 'accepted (online): ivy@adatum.test\n']);
    const log = await proxy.log();
    expect(log).toContain(`POST ${portal.node.base}/api/v1/win/validate`);
  });

  it('an https portal: a CONNECT tunnel, TLS verified end to end', async () => {
    const file = await agentFile('https-proxy', tlsBase, true);
    const epoch = Math.floor(Date.now() / 1000);
    const r = await runAgent(
      ['validate', '--user', 'ivy', '--code', await oathtoolTotp(secret, epoch + 30), '-c', file],
      { deps: { ca } },
    );
    expect([r.code, r.stdout]).toEqual([0, 'accepted (online): ivy@adatum.test\n']);
    const log = await proxy.log();
    expect(log).toContain(`CONNECT ${tlsBase.replace('https://', '')}`);
    // The proxy saw only host and port: the path travelled inside TLS.
    expect(log).not.toContain(`${tlsBase.replace('https://', '')}/api/v1`);
  });

  it('an https portal whose certificate is not trusted is not talked to', async () => {
    const file = await agentFile('https-untrusted', tlsBase, true);
    const r = await runAgent(['validate', '--user', 'ivy', '--code', '123456', '-c', file]);
    expect([r.code, r.stdout]).toEqual([
      1,
      'rejected (none): ivy@adatum.test: unreachable: the portal is unreachable and offline logons are disabled\n',
    ]);
    expect(r.stderr).toMatch(/SELF_SIGNED|self-signed|UNABLE_TO_VERIFY/i);
  });

  it('a stopped proxy: the portal is unreachable, reported at once', async () => {
    const file = await agentFile('proxy-down', portal.node.base, true);
    await proxy.stop();
    const started = Date.now();
    const r = await runAgent(['validate', '--user', 'ivy', '--code', '123456', '-c', file]);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.stdout).toContain('ivy@adatum.test: unreachable:');
    expect(r.stderr).toContain('ECONNREFUSED');
  });
});
