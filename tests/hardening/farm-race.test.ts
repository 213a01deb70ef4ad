// The farm race, end to end: two provider host PROCESSES (`securemfa-qr-otp serve`, the built
// CLI) on one store — a SQLite file, a PostgreSQL database, the Samba AD DC — and 200 requests at
// the same instant over loopback, split across both nodes.
//
// - 200 submissions of the same valid code → exactly 1 success; the 199 others are reused_code;
//   the store counted exactly one logon.
// - 200 wrong codes for a user with ui_login_failures = 5 → exactly 4 answers say invalid_code
//   (failures 1–4 each land once: recordFailure is atomic) and 196 say locked; the user is locked
//   on both nodes; a correct code during the lockout is refused (locked) and changes nothing.
//
// Rate limits are off in this suite (0): it tests the store's atomicity, not the limiter (the
// brute-force suite tests the limits).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { checkConfig, openStore, storeOptionsFromConfig, type UserRecord } from '@securemfa/core';
import { killAllChildren, runCli } from '../helpers/e2e-cli.js';
import { oathtoolTotp, requireTool, safeStepNow } from '../helpers/e2e-otp-tools.js';
import {
  adBackend,
  postgresBackend,
  sqliteBackend,
  type FarmBackend,
} from '../helpers/hardening-backends.js';
import {
  BINS,
  begin,
  end,
  enrolledSecret,
  outcomes,
  serverErrors,
  startNodes,
  stopNodes,
  together,
  wrongCodes,
  writeConfigFile,
  type FarmNode,
} from '../helpers/hardening-farm.js';

// Each race and the clean-up. The set-up (beforeAll, which may wait for a lease) has its own
// bound: setupTimeoutMs.
jest.setTimeout(180_000);

/** Requests fired at the same instant in each race. */
const N = 200;
const MAX_FAILURES = 5;
/** Bound of `install` on the main node. */
const INSTALL_TIMEOUT_MS = 60_000;
/** Bound of each serve process's start (startNodes starts them one after the other). */
const NODE_START_TIMEOUT_MS = 30_000;

/**
 * The beforeAll's bound: the store's start — which may wait minutes for a shared server's lease
 * behind another suite (the Samba DC: SAMBA_DC_START_TIMEOUT_MS) — plus install, two serve
 * starts, and a minute for the rest (temp folder, config file, CI slowness).
 */
const setupTimeoutMs = (backend: FarmBackend): number =>
  backend.startTimeoutMs + INSTALL_TIMEOUT_MS + 2 * NODE_START_TIMEOUT_MS + 60_000;

function describeFarmRace(make: () => FarmBackend): void {
  const backend = make();
  describe(`farm race on ${backend.name}: two serve processes, one store, ${N} requests at once`, () => {
    let dir: string;
    let nodes: FarmNode[] = [];
    let apiKey: string;
    let config: Record<string, string>;

    /** Read a record straight from the store, as a third party. */
    async function record(upn: string): Promise<UserRecord> {
      const checked = checkConfig('qr-otp', config);
      if (checked.error !== undefined) throw checked.error;
      const store = await openStore(
        storeOptionsFromConfig(checked.config, { cwd: dir, migrate: false }),
      );
      try {
        const r = await store.get(upn);
        if (r === undefined) throw new Error(`${upn} has no record in the ${backend.name} store`);
        return r;
      } finally {
        await store.close();
      }
    }

    /** A user enrolled on node 0 whose first code was accepted on node 1. */
    async function enrolledUser(label: string): Promise<{ upn: string; secret: string }> {
      const upn = await backend.newUser(label);
      const first = await begin(nodes[0]!, apiKey, upn);
      expect(first.status).toBe(200);
      expect(first.json.status).toBe('enroll');
      const secret = enrolledSecret(first);
      const epoch = await safeStepNow(30, 3);
      const ok = await end(
        nodes[1]!,
        apiKey,
        first.json.context,
        await oathtoolTotp(secret, epoch),
      );
      expect(ok.json).toMatchObject({ ok: true });
      return { upn, secret };
    }

    /** N sign-ins begun at once, alternating nodes; every one must say enter_code. */
    async function contexts(upn: string): Promise<string[]> {
      const begun = await together(N, (i) => begin(nodes[i % 2]!, apiKey, upn));
      expect(outcomesOfBegin(begun.map((b) => b.json?.status ?? `http ${b.status}`))).toEqual({
        enter_code: N,
      });
      return begun.map((b) => b.json.context as string);
    }

    beforeAll(async () => {
      requireTool('oathtool');
      await backend.start();
      dir = await mkdtemp(join(tmpdir(), `hardening-farm-${backend.name}-`));
      apiKey = randomBytes(32).toString('base64url');
      config = {
        company: 'Hardening Farm',
        ...(await backend.storeKeys(dir)),
        data_encryption: 'true',
        data_encryption_passphrase: randomBytes(24).toString('base64url'),
        adapter_api_key: apiKey,
        ui_login_failures: String(MAX_FAILURES),
        ui_lockout_minutes: '5',
        rate_limit_per_ip_per_minute: '0',
        rate_limit_per_user_per_minute: '0',
        listen_host: '127.0.0.1',
      };
      const file = await writeConfigFile(dir, 'SecureMfaOtpProvider.json', config);
      // install on the main node: schema, registration (what an operator runs first).
      const install = await runCli(
        BINS['qr-otp'],
        ['install', '-c', file, '--service-dir', join(dir, 'units')],
        { cwd: dir, timeoutMs: INSTALL_TIMEOUT_MS },
      );
      if (install.code !== 0) {
        throw new Error(`install failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
      }
      nodes = await startNodes(BINS['qr-otp'], [file, file], {
        cwd: dir,
        timeoutMs: NODE_START_TIMEOUT_MS,
      });
    }, setupTimeoutMs(backend));

    afterAll(async () => {
      await stopNodes(nodes).catch(() => undefined);
      killAllChildren();
      await backend.stop().catch(() => undefined);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    it(`${N} submissions of one valid code across both nodes: exactly 1 success, ${N - 1} reused_code, logoncount + 1`, async () => {
      const { upn, secret } = await enrolledUser('race');
      const before = await record(upn);
      expect(before.logoncount).toBe(1);
      const epoch = Math.floor(Date.now() / 1000);
      // The next step's code: inside the ±1 window now, and after laststep.
      const code = await oathtoolTotp(secret, epoch + 30);
      if (code === (await oathtoolTotp(secret, epoch))) {
        throw new Error('the next step has the same code as this one (p = 1e-6): run again');
      }
      const ctx = await contexts(upn);
      const answers = await together(N, (i) => end(nodes[i % 2]!, apiKey, ctx[i]!, code));
      expect(outcomes(answers)).toEqual({ success: 1, reused_code: N - 1 });
      const after = await record(upn);
      expect(after.logoncount).toBe(2);
      expect(after.laststep).toBe(Math.floor((epoch + 30) / 30));
      expect(after.failedlogoncount).toBe(0);
      // Both nodes took part: half of the requests went to each.
      const perNode = [0, 1].map((n) => answers.filter((_, i) => i % 2 === n).length);
      expect(perNode).toEqual([N / 2, N / 2]);
    });

    it(`${N} wrong codes at once with ui_login_failures=${MAX_FAILURES}: exactly ${MAX_FAILURES - 1} invalid_code, the rest locked; a correct code during the lockout is refused`, async () => {
      const { upn, secret } = await enrolledUser('lock');
      const epoch = await safeStepNow(30, 5);
      const wrong = await wrongCodes(secret, epoch, N);
      const ctx = await contexts(upn);
      const answers = await together(N, (i) => end(nodes[i % 2]!, apiKey, ctx[i]!, wrong[i]!));
      // recordFailure is one atomic update: failures 1..4 are each returned to exactly one
      // request (invalid_code); every other request sees ≥ 5 (locked).
      expect(outcomes(answers)).toEqual({
        invalid_code: MAX_FAILURES - 1,
        locked: N - (MAX_FAILURES - 1),
      });
      const locked = await record(upn);
      expect(locked.failedlogoncount).toBeGreaterThanOrEqual(MAX_FAILURES);
      expect(locked.failedlogoncount).toBeLessThanOrEqual(N);
      expect(locked.logoncount).toBe(1);
      expect(locked.failedcode).toMatch(/^\d{6}$/);
      expect(wrong).toContain(locked.failedcode);

      // Locked on both nodes (the lockout is farm-wide: it lives in the store).
      for (const node of nodes) {
        const b = await begin(node, apiKey, upn);
        expect(b.json.status).toBe('locked');
      }
      // The correct code of this step, on each node: refused, nothing counted.
      const good = await oathtoolTotp(secret, Math.floor(Date.now() / 1000));
      const refused = await together(2, (i) => end(nodes[i]!, apiKey, ctx[i]!, good));
      expect(outcomes(refused)).toEqual({ locked: 2 });
      const still = await record(upn);
      expect(still.logoncount).toBe(1);
      expect(still.laststep).toBe(locked.laststep);
      expect(still.failedlogoncount).toBe(locked.failedlogoncount);
    });

    it('neither node logged a server error or an unhandled rejection, and both still answer', async () => {
      for (const node of nodes) {
        expect(serverErrors(node)).toEqual([]);
        expect(node.serve.child.exitCode).toBeNull();
        const r = await begin(node, apiKey, await backend.newUser('alive'));
        expect(r.json.status).toBe('enroll');
      }
    });
  });
}

function outcomesOfBegin(statuses: string[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
  return tally;
}

describeFarmRace(sqliteBackend);
describeFarmRace(adBackend);
describeFarmRace(postgresBackend);
