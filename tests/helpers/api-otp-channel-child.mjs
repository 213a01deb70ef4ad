// Child process of tests/api-otp/http-channel.test.ts ("hygiene"): the failure scenarios of the
// API OTP channel — the built @securemfa/api-otp (axios, real sockets to the test's gateway on
// 127.0.0.1) — in a plain Node process that the test starts with
// `--unhandled-rejections=strict`. Inside jest a rejection nobody handles is invisible to the
// test (the sandbox's `process` is a copy, jest-circus listens on the real one); here it ends the
// process with exit code 1 and the error on stderr.
//
// argv[2]: JSON `{ "origin": "http://127.0.0.1:<port>", "downPort": <closed port>,
// "control": false }`. The gateway answers by the first path segment: /s403/ 403, /s500/ 500,
// /s503/ 503, /hang/ never, /close/ drops the connection.
//
// stdout: one JSON line per scenario, `{ "scenario", "code" }` (the ChannelError's code). The
// process is not ended with process.exit: it exits by itself once every channel is closed, so a
// rejection a timer of the channel would cause later still has its turn.
//
// With `"control": true` it then adds an `unhandledRejection` listener (as a library could) and
// rejects a promise nobody handles: strict mode must still end the process with exit code 1.
// That run proves the check can fail.
/* global AbortSignal */
import { checkConfig, createLogger } from '@securemfa/core';
import { createHttpChannel } from '@securemfa/api-otp';

const { origin, downPort, control } = JSON.parse(process.argv[2] ?? '{}');

const logger = createLogger({ source: 'Secure MFA API OTP', console: false, verbose: true });

/** A channel over a checked config (the same validation a file gets). */
function channel(json) {
  const checked = checkConfig('api-otp', json);
  if (checked.error !== undefined) {
    throw new Error(checked.errors.map((e) => e.message).join('\n'));
  }
  return createHttpChannel({ config: checked.config, logger, timeZone: 'UTC', random: () => 0.5 });
}

const scenarios = [
  { scenario: '403', endpoint: `${origin}/s403/` },
  { scenario: '500', endpoint: `${origin}/s500/` },
  { scenario: 'hang', endpoint: `${origin}/hang/`, timeout: '400' },
  { scenario: 'close', endpoint: `${origin}/close/` },
  { scenario: 'down', endpoint: `http://127.0.0.1:${downPort}/prod/` },
  { scenario: 'deadline', endpoint: `${origin}/s503/`, deadlineMs: 100 },
];

const channels = [];
const results = await Promise.all(
  scenarios.map(async ({ scenario, endpoint, timeout = '1000', deadlineMs }) => {
    const c = channel({ api_endpoint: endpoint, api_timeout: timeout });
    channels.push(c);
    const upn = 'test1@adatum.labnet';
    const message = {
      upn,
      to: c.recipient(upn, {}),
      code: '482913',
      validUntil: new Date(),
      lang: 'en',
      ip: '10.101.101.101',
      userAgent: 'hygiene-child',
      attributes: {},
    };
    const signal = AbortSignal.timeout(deadlineMs ?? c.deliveryTimeoutMs + 5000);
    try {
      await c.deliver(message, signal);
      return { scenario, code: 'delivered' };
    } catch (err) {
      return { scenario, code: err?.code ?? String(err) };
    }
  }),
);
for (const c of channels) await c.close();
for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);

if (control === true) {
  process.on('unhandledRejection', () => undefined);
  setTimeout(() => {
    Promise.reject(new Error('control: a deliberately unhandled rejection'));
  }, 50);
}
