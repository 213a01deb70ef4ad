// The win-otp exchange under attack: a real HTTP relay on 127.0.0.1 sits between the agent and
// the portal (a qr-otp host; a second node shares its SQLite store, as a farm). A captured
// request replayed, a flipped byte in the request or in the answer, an answer that belongs to
// another request, a stale timestamp — each is rejected, and the agent logs event 5553. Nothing
// the man in the middle does makes the agent accept, or fall back to its offline cache.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createWinEnvelope } from '@securemfa/core';
import { oathtoolTotp, requireTool, safeStepNow, wrongCode } from '../helpers/e2e-otp-tools.js';
import { startQrNode, type QrNode } from '../helpers/e2e-qr-host.js';
import {
  enrolUser,
  eventsIn,
  portalConfig,
  portalSecrets,
  runAgent,
  startWinPortal,
  writeAgentConfig,
  type WinPortal,
} from '../helpers/win-portal-host.js';
import { flipEnvelopeByte, replayRequest, startRelay, type Relay } from '../helpers/win-relay.js';

jest.setTimeout(60_000);

let portal: WinPortal;
let nodeB: QrNode;
let relay: Relay;
let agentFile: string;
const secrets: Record<string, string> = {};
const REJECTED = { error: 'invalid_message', error_description: 'the message was rejected' };

beforeAll(async () => {
  requireTool('oathtool');
  const s = portalSecrets();
  const dir = await mkdtemp(join(tmpdir(), 'e2e-win-tamper-'));
  // Many wrong codes below: no lockout in the way of what is tested.
  const config = portalConfig(dir, s, { ui_login_failures: '100' });
  portal = await startWinPortal({ dir, secrets: s, config });
  nodeB = await startQrNode(config, {
    configDir: portal.dir,
    logFile: join(portal.dir, 'node-b.log'),
  });
  relay = await startRelay(portal.node.base);
  agentFile = join(portal.dir, 'agent.json');
  await writeAgentConfig(agentFile, relay.base, s);
  for (const user of ['bob', 'carol', 'dave']) {
    secrets[user] = await enrolUser(portal, `${user}@adatum.test`);
  }
});

afterAll(async () => {
  await relay?.close();
  await nodeB?.close();
  await portal?.close();
  if (portal !== undefined) await rm(portal.dir, { recursive: true, force: true });
});

const validate = (user: string, code: string, deps = {}) =>
  runAgent(['validate', '--user', user, '--code', code, '-c', agentFile], { deps });
const codeAt = (user: string, offsetSteps = 0): Promise<string> =>
  oathtoolTotp(secrets[user]!, Math.floor(Date.now() / 1000) + offsetSteps * 30);
const agentLog = (): Promise<string> => readFile(join(portal.dir, 'agent.log'), 'utf8');
const rejections = async (): Promise<number> =>
  eventsIn(await agentLog(), 5553).filter((e) => e.reason === 'message_rejected').length;

describe('through the relay, untouched', () => {
  it('a valid code is accepted (the relay itself changes nothing)', async () => {
    await safeStepNow(30, 8);
    relay.tamper = {};
    const r = await validate('bob', await codeAt('bob'));
    expect([r.code, r.stdout]).toEqual([0, 'accepted (online): bob@adatum.test\n']);
    expect(relay.exchanges.at(-1)?.status).toBe(200);
  });
});

describe('a captured request replayed', () => {
  it('is rejected by the node that saw it and by another node of the farm', async () => {
    const captured = relay.exchanges.find((e) => e.status === 200)!;
    const again = await replayRequest(portal.node.base, captured);
    expect([again.status, JSON.parse(again.body)]).toEqual([400, REJECTED]);
    const other = await replayRequest(nodeB.base, captured);
    expect([other.status, JSON.parse(other.body)]).toEqual([400, REJECTED]);
    const log = await readFile(portal.logFile, 'utf8');
    expect(
      eventsIn(log, 5553).filter((e) => e.reason === 'request: replayed state').length,
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('a flipped byte in the request', () => {
  it('is rejected by the portal (message_rejected, 5553); the code was not spent and works untouched', async () => {
    const before = await rejections();
    const failuresBefore = (await portal.node.runtime.store.get('bob@adatum.test'))!
      .failedlogoncount;
    const code = await codeAt('bob', 1);
    for (const index of [0, 40, -1]) {
      relay.tamper = { request: (body) => flipEnvelopeByte(body, index) };
      const r = await validate('bob', code);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('bob@adatum.test: message_rejected: ');
      expect(relay.exchanges.at(-1)?.status).toBe(400);
    }
    expect(await rejections()).toBe(before + 3);
    expect((await portal.node.runtime.store.get('bob@adatum.test'))!.failedlogoncount).toBe(
      failuresBefore,
    );
    relay.tamper = {};
    const r = await validate('bob', code);
    expect([r.code, r.stdout]).toEqual([0, 'accepted (online): bob@adatum.test\n']);
  });
});

describe('a flipped byte in the answer', () => {
  it('is rejected by the agent (5553) — even an “accepted” — and never falls back to the offline cache', async () => {
    await safeStepNow(30, 8);
    relay.tamper = {};
    const synced = await runAgent([
      'sync',
      '--user',
      'carol',
      '--code',
      await codeAt('carol'),
      '-c',
      agentFile,
    ]);
    expect(synced.code).toBe(0);
    const before = await rejections();
    const epoch = Math.floor(Date.now() / 1000);
    for (const [i, index] of [0, 40, -1].entries()) {
      relay.tamper = { response: (body) => flipEnvelopeByte(body, index) };
      const r = await validate('carol', await wrongCode(secrets.carol!, epoch, i));
      expect([r.code, r.stdout]).toEqual([
        1,
        expect.stringContaining('(online): carol@adatum.test: message_rejected: '),
      ]);
      expect(relay.exchanges.at(-1)?.status).toBe(200);
    }
    // A good code: the portal accepts it, the flipped answer is still not believed.
    const logons = (await portal.node.runtime.store.get('carol@adatum.test'))!.logoncount;
    relay.tamper = { response: (body) => flipEnvelopeByte(body, 60) };
    const r = await validate('carol', await codeAt('carol', 1));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(online): carol@adatum.test: message_rejected: ');
    expect((await portal.node.runtime.store.get('carol@adatum.test'))!.logoncount).toBe(logons + 1);
    expect(await rejections()).toBe(before + 4);
    const log = await agentLog();
    expect(eventsIn(log, 5556).filter((e) => e.mode === 'offline')).toEqual([]);
  });

  it('a 200 answer that is not a sealed message is rejected too', async () => {
    const before = await rejections();
    relay.tamper = { response: () => Buffer.from('<html>login portal</html>') };
    try {
      const r = await validate('carol', '123456');
      expect([r.code, r.stdout]).toEqual([
        1,
        expect.stringContaining('(online): carol@adatum.test: message_rejected: '),
      ]);
      expect(relay.exchanges.at(-1)?.status).toBe(200);
    } finally {
      relay.tamper = {};
    }
    expect(await rejections()).toBe(before + 1);
    expect(eventsIn(await agentLog(), 5553).at(-1)).toMatchObject({
      upn: 'carol@adatum.test',
      reason: 'message_rejected',
      detail: 'the answer is not a sealed message',
    });
    expect(eventsIn(await agentLog(), 5556).filter((e) => e.mode === 'offline')).toEqual([]);
  });
});

describe('an answer that belongs to another request (another state)', () => {
  it('an earlier genuine “accepted” handed back for a wrong code is rejected', async () => {
    await safeStepNow(30, 8);
    relay.tamper = {};
    const ok = await validate('dave', await codeAt('dave'));
    expect(ok.code).toBe(0);
    const earlier = relay.exchanges.at(-1)!.responseBody;
    const before = await rejections();
    relay.tamper = { response: () => earlier };
    const wrong = await wrongCode(secrets.dave!, Math.floor(Date.now() / 1000), 7);
    const r = await validate('dave', wrong);
    expect([r.code, r.stdout]).toEqual([
      1,
      expect.stringContaining('dave@adatum.test: message_rejected: '),
    ]);
    expect(await rejections()).toBe(before + 1);
    const detail = eventsIn(await agentLog(), 5553).at(-1)?.detail;
    expect(detail).toBe('response: another state');
    relay.tamper = {};
  });
});

describe('a stale timestamp', () => {
  it('in the request (the agent’s clock 10 minutes behind): the portal rejects it', async () => {
    relay.tamper = {};
    const before = await rejections();
    const portalStale = eventsIn(await readFile(portal.logFile, 'utf8'), 5553).filter(
      (e) => e.reason === 'request: stale timestamp',
    ).length;
    const behind = () => new Date(Date.now() - 10 * 60_000);
    const r = await validate('dave', '123456', { clock: behind });
    expect([r.code, r.stdout]).toEqual([
      1,
      expect.stringContaining('dave@adatum.test: message_rejected: '),
    ]);
    expect(relay.exchanges.at(-1)?.status).toBe(400);
    // The portal logs 5553 for the stale request, the agent logs 5553 for the refusal.
    const log = await readFile(portal.logFile, 'utf8');
    expect(eventsIn(log, 5553).filter((e) => e.reason === 'request: stale timestamp').length).toBe(
      portalStale + 1,
    );
    expect(await rejections()).toBe(before + 1);
    expect(eventsIn(await agentLog(), 5553).at(-1)).toMatchObject({
      upn: 'dave@adatum.test',
      reason: 'message_rejected',
      detail: 'HTTP 400 invalid_message: the message was rejected',
    });
  });

  it('in the answer (re-sealed by a peer that holds the passphrase): the agent rejects it', async () => {
    const envelope = createWinEnvelope({ passphrase: portal.secrets.passphrase });
    const reseal = (shiftMs: number) => (body: Buffer) => {
      const { envelope: text } = JSON.parse(body.toString('utf8')) as { envelope: string };
      const m = envelope.open('response', text);
      const forged = envelope.seal('response', { ...m, ts: (m.ts as number) + shiftMs });
      return Buffer.from(JSON.stringify({ envelope: forged }));
    };
    const epoch = Math.floor(Date.now() / 1000);
    // The same re-sealing without a time shift is believed: the harness is sound.
    relay.tamper = { response: reseal(0) };
    const control = await validate('dave', await wrongCode(secrets.dave!, epoch, 11));
    expect([control.code, control.stdout]).toEqual([
      1,
      expect.stringContaining('dave@adatum.test: invalid_code: '),
    ]);

    const before = await rejections();
    relay.tamper = { response: reseal(-10 * 60_000) };
    const stale = await validate('dave', await wrongCode(secrets.dave!, epoch, 12));
    relay.tamper = {};
    expect([stale.code, stale.stdout]).toEqual([
      1,
      expect.stringContaining('(online): dave@adatum.test: message_rejected: '),
    ]);
    expect(await rejections()).toBe(before + 1);
    expect(eventsIn(await agentLog(), 5553).at(-1)?.detail).toBe('response: stale timestamp');
  });
});
