// A farm of real provider host PROCESSES for the hardening suites: each node is the built CLI
// (`node packages/<p>/dist/bin.js serve -c <file> --port 0`) as a child process, all nodes on one
// store (a SQLite file, a PostgreSQL database, the Samba AD DC). Plus what the suites do to them
// at scale: many requests at the same instant over loopback, with per-request timeouts, and the
// host's own JSON log records read back from its stderr.
import { startServe, type ServeProcess } from './e2e-cli.js';
import { oathtoolTotp } from './e2e-otp-tools.js';
import { http, postJson, type HttpResult } from './e2e-qr-host.js';

/** The built CLIs, and config files of the farm's nodes: as every hardening suite has them. */
export { BINS, writeConfigFile } from './hardening-host.js';

/** One node of a farm: a `serve` child process. */
export interface FarmNode {
  serve: ServeProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The child's process id (for kill -9 and RSS samples). */
  pid: number;
}

/**
 * Start `serve` nodes one after the other (the first one creates or migrates the store, so the
 * others never race it) and wait until each prints its URL.
 *
 * @param bin - the provider CLI
 * @param configs - one config file per node (the same file for every node is fine)
 * @param options - working directory, extra environment
 * @returns the nodes, in order
 */
export async function startNodes(
  bin: string,
  configs: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<FarmNode[]> {
  const nodes: FarmNode[] = [];
  try {
    for (const config of configs) {
      const serve = await startServe(bin, ['serve', '-c', config, '--port', '0'], {
        cwd: options.cwd,
        env: options.env,
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      nodes.push({ serve, base: serve.url, pid: serve.child.pid! });
    }
  } catch (err) {
    await stopNodes(nodes);
    throw err;
  }
  return nodes;
}

/**
 * Stop nodes with SIGTERM (SIGKILL after the bound); already dead nodes are skipped.
 *
 * @param nodes - the nodes
 * @returns how each stopped
 */
export async function stopNodes(
  nodes: readonly FarmNode[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null }[]> {
  return Promise.all(nodes.map((n) => n.serve.stop('SIGTERM', 10_000)));
}

/** The JSON log records a node wrote to stderr so far (non-JSON lines are kept as `raw`). */
export function nodeLog(node: FarmNode): Record<string, unknown>[] {
  return node.serve
    .stderr()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { raw: line };
      }
    });
}

/** Server-side failures a node logged (the host logs every 5xx as `request failed`). */
export function serverErrors(node: FarmNode): Record<string, unknown>[] {
  return nodeLog(node).filter(
    (r) =>
      r.level === 'error' ||
      /request failed|unhandled|uncaught/i.test(String(r.message ?? r.raw ?? '')),
  );
}

/**
 * Run `count` tasks at the same instant: every task is created before any is awaited, so the
 * requests are all in flight together (loopback, one socket each).
 *
 * @param count - how many
 * @param task - the i-th task
 * @returns the results in order
 */
export function together<T>(count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => task(i)));
}

/** POST /adapter/begin. */
export function begin(
  node: FarmNode,
  key: string,
  upn: string,
  extra: Record<string, unknown> = {},
): Promise<HttpResult> {
  return postJson(node.base, '/adapter/begin', { upn, userAgent: 'hardening', ...extra }, key);
}

/** POST /adapter/end. */
export function end(
  node: FarmNode,
  key: string,
  context: string,
  code: string,
  extra: Record<string, unknown> = {},
): Promise<HttpResult> {
  return postJson(
    node.base,
    '/adapter/end',
    { context, code, userAgent: 'hardening', ...extra },
    key,
  );
}

/** GET /readyz. */
export function ready(node: FarmNode): Promise<HttpResult> {
  return http(`${node.base}/readyz`);
}

/** The base32 secret of an enrolment answer (the otpauth URI the app would scan). */
export function enrolledSecret(beginAnswer: HttpResult): string {
  const uri = beginAnswer.json?.presentation?.enrollment?.otpauthUri as string | undefined;
  if (uri === undefined) {
    throw new Error(`not an enrolment answer: ${beginAnswer.status} ${beginAnswer.text}`);
  }
  const secret = new URL(uri).searchParams.get('secret');
  if (secret === null) throw new Error(`otpauth URI without a secret: ${uri}`);
  return secret;
}

/**
 * Codes that are wrong at `epochSeconds`: none is the code of the steps −2…+2 around it (the
 * host accepts ±1), as oathtool computes them; distinct, 6 digits.
 *
 * @param secret - base32 secret
 * @param epochSeconds - the time
 * @param count - how many
 * @returns the codes
 */
export async function wrongCodes(
  secret: string,
  epochSeconds: number,
  count: number,
): Promise<string[]> {
  const window = new Set<string>();
  for (const delta of [-60, -30, 0, 30, 60]) {
    window.add(await oathtoolTotp(secret, epochSeconds + delta));
  }
  const codes: string[] = [];
  for (let i = 0; codes.length < count && i < count * 2 + 10; i += 1) {
    const candidate = String((i * 7_919 + 104_729) % 1_000_000).padStart(6, '0');
    if (!window.has(candidate) && !codes.includes(candidate)) codes.push(candidate);
  }
  if (codes.length < count) throw new Error(`only ${codes.length} wrong codes found`);
  return codes;
}

/** Count answers by outcome: `success`, the `reason` of `ok: false`, or `http <status>`. */
export function outcomes(answers: readonly HttpResult[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const a of answers) {
    const key =
      a.status !== 200
        ? `http ${a.status}`
        : a.json?.ok === true
          ? 'success'
          : typeof a.json?.reason === 'string'
            ? (a.json.reason as string)
            : 'malformed answer';
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}
