import { describe, expect, it } from '@jest/globals';
import { MemoryStore } from '../store/memory.js';
import { V2_MIN_ITERATIONS } from './v2-cipher.js';
import { createWinEnvelope, WIN_ENVELOPE_REJECTED } from './win-envelope.js';
import {
  newWinState,
  openWinRequest,
  openWinResponse,
  sealWinRequest,
  sealWinResponse,
  WIN_STATE_KEY_PREFIX,
} from './win-message.js';

const envelope = createWinEnvelope({
  passphrase: 'win message tests',
  iterations: V2_MIN_ITERATIONS,
});
const TAMPERED = { code: 'ERR_CRYPTO_TAMPERED', message: WIN_ENVELOPE_REJECTED };
const t0 = new Date('2025-03-01T10:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

/** The store's seen-state cache, as the portal uses it. */
function seenStates(store = new MemoryStore(), clock: () => Date = () => t0) {
  const calls: { key: string; expiresAt: Date }[] = [];
  return {
    calls,
    rememberState: async (key: string, expiresAt: Date) => {
      calls.push({ key, expiresAt });
      return store.rememberNonce(key, expiresAt, clock());
    },
  };
}

describe('newWinState', () => {
  it('is 32 random bytes in base64url, different every time', () => {
    const states = new Set(Array.from({ length: 50 }, () => newWinState()));
    expect(states.size).toBe(50);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('request: sealWinRequest / openWinRequest', () => {
  const body = { op: 'validate', upn: 'alice@adatum.labnet', code: '123456' } as const;

  it('round-trips with a fresh state and the sender’s time; remembers the state in the store', async () => {
    const seen = seenStates();
    const sealed = sealWinRequest(
      envelope,
      { ...body, agent: 'ws1', client_ip: '10.0.0.5' },
      { now: t0 },
    );
    expect(sealed.ts).toBe(t0.getTime());
    const opened = await openWinRequest(envelope, sealed.envelope, { now: at(3), ...seen });
    expect(opened).toEqual({
      v: 1,
      ...body,
      agent: 'ws1',
      client_ip: '10.0.0.5',
      state: sealed.state,
      ts: t0.getTime(),
    });
    expect(seen.calls).toEqual([
      { key: `${WIN_STATE_KEY_PREFIX}${sealed.state}`, expiresAt: new Date(at(3 + 120 + 1)) },
    ]);
  });

  it('rejects the same request a second time (replay), also through another node of the farm', async () => {
    const store = new MemoryStore();
    const nodeA = seenStates(store);
    const nodeB = seenStates(store);
    const sealed = sealWinRequest(envelope, body, { now: t0 });
    await openWinRequest(envelope, sealed.envelope, { now: t0, ...nodeA });
    await expect(
      openWinRequest(envelope, sealed.envelope, { now: t0, ...nodeA }),
    ).rejects.toMatchObject(TAMPERED);
    await expect(
      openWinRequest(envelope, sealed.envelope, { now: at(60), ...nodeB }),
    ).rejects.toMatchObject(TAMPERED);
  });

  it('rejects a timestamp older or newer than the allowed skew, without touching the store', async () => {
    const seen = seenStates();
    const old = sealWinRequest(envelope, body, { now: at(-121) });
    const future = sealWinRequest(envelope, body, { now: at(121) });
    await expect(
      openWinRequest(envelope, old.envelope, { now: t0, ...seen }),
    ).rejects.toMatchObject(TAMPERED);
    await expect(
      openWinRequest(envelope, future.envelope, { now: t0, ...seen }),
    ).rejects.toMatchObject(TAMPERED);
    expect(seen.calls).toEqual([]);
    const edge = sealWinRequest(envelope, body, { now: at(-120) });
    await expect(
      openWinRequest(envelope, edge.envelope, { now: t0, ...seen }),
    ).resolves.toMatchObject({ code: '123456' });
    const narrow = sealWinRequest(envelope, body, { now: at(-30) });
    await expect(
      openWinRequest(envelope, narrow.envelope, { now: t0, maxSkewSeconds: 20, ...seen }),
    ).rejects.toMatchObject(TAMPERED);
  });

  it('rejects an authentic message of the wrong shape (a response, missing fields)', async () => {
    const seen = seenStates();
    const asResponse = sealWinResponse(envelope, { ok: true }, { state: newWinState(), now: t0 });
    await expect(openWinRequest(envelope, asResponse, { now: t0, ...seen })).rejects.toMatchObject(
      TAMPERED,
    );
    const noState = envelope.seal('request', {
      v: 1,
      op: 'validate',
      upn: 'a',
      code: '1',
      ts: t0.getTime(),
    });
    await expect(openWinRequest(envelope, noState, { now: t0, ...seen })).rejects.toMatchObject(
      TAMPERED,
    );
    const badOp = envelope.seal('request', {
      v: 1,
      op: 'delete',
      upn: 'a',
      code: '1',
      state: newWinState(),
      ts: t0.getTime(),
    });
    await expect(openWinRequest(envelope, badOp, { now: t0, ...seen })).rejects.toMatchObject(
      TAMPERED,
    );
  });

  it('refuses misuse (TypeError/RangeError naming the argument)', async () => {
    // @ts-expect-error -- unknown operation
    expect(() => sealWinRequest(envelope, { ...body, op: 'x' }, { now: t0 })).toThrow(/"op"/);
    expect(() => sealWinRequest(envelope, { ...body, upn: '' }, { now: t0 })).toThrow(/"upn"/);
    expect(() => sealWinRequest(envelope, body, { now: t0, state: 'short' })).toThrow(/"state"/);
    const sealed = sealWinRequest(envelope, body, { now: t0 });
    await expect(
      openWinRequest(envelope, sealed.envelope, { now: t0, maxSkewSeconds: 1, ...seenStates() }),
    ).rejects.toThrow(/"maxSkewSeconds"/);
  });
});

describe('response: sealWinResponse / openWinResponse', () => {
  const offline = {
    secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    step: 30,
    digits: 6,
    algorithm: 'SHA1',
  } as const;

  it('round-trips the outcome with the echoed state and the portal’s time', () => {
    const state = newWinState();
    const text = sealWinResponse(
      envelope,
      { ok: true, laststep: 55_000_000, offline },
      { state, now: t0 },
    );
    expect(openWinResponse(envelope, text, { state, now: at(2) })).toEqual({
      v: 1,
      state,
      ts: t0.getTime(),
      ok: true,
      laststep: 55_000_000,
      offline,
    });
    const no = sealWinResponse(envelope, { ok: false, reason: 'reused_code' }, { state, now: t0 });
    expect(openWinResponse(envelope, no, { state, now: t0 })).toEqual({
      v: 1,
      state,
      ts: t0.getTime(),
      ok: false,
      reason: 'reused_code',
    });
  });

  it('rejects an authentic answer to another request (another state)', () => {
    const text = sealWinResponse(envelope, { ok: true }, { state: newWinState(), now: t0 });
    expect(() => openWinResponse(envelope, text, { state: newWinState(), now: t0 })).toThrow(
      expect.objectContaining(TAMPERED),
    );
  });

  it('rejects a stale or future timestamp', () => {
    const state = newWinState();
    for (const seconds of [-121, 121]) {
      const text = sealWinResponse(envelope, { ok: true }, { state, now: at(seconds) });
      expect(() => openWinResponse(envelope, text, { state, now: t0 })).toThrow(
        expect.objectContaining(TAMPERED),
      );
    }
  });

  it('rejects an authentic answer of the wrong shape (bad offline secret, bad reason, a request)', () => {
    const state = newWinState();
    const cases = [
      { v: 1, state, ts: t0.getTime(), ok: true, offline: { ...offline, secret: 'not base32!' } },
      { v: 1, state, ts: t0.getTime(), ok: true, offline: { ...offline, digits: 9 } },
      { v: 1, state, ts: t0.getTime(), ok: false, reason: 'Not<Snake>' },
      { v: 1, state, ts: t0.getTime(), ok: 'yes' },
      { v: 2, state, ts: t0.getTime(), ok: true },
    ];
    for (const payload of cases) {
      const text = envelope.seal('response', payload);
      expect(() => openWinResponse(envelope, text, { state, now: t0 })).toThrow(
        expect.objectContaining(TAMPERED),
      );
    }
    const request = sealWinRequest(
      envelope,
      { op: 'sync', upn: 'a', code: '1' },
      { now: t0, state },
    );
    expect(() => openWinResponse(envelope, request.envelope, { state, now: t0 })).toThrow(
      expect.objectContaining(TAMPERED),
    );
  });
});
