/**
 * E-mail OTP delivery throughput: the shipped SMTP channel (`createSmtpChannel` of
 * @securemfa/email-otp: nodemailer's pooled transport, the real localised code e-mail) sending
 * to an smtp-server on 127.0.0.1 (plain SMTP, anonymous — the manuals' default; it counts and
 * discards what it receives). One operation is a burst of {@link BURST} code e-mails handed over
 * at once, as many users signing in together; messages/s = ops/s × {@link BURST}.
 *
 * Cases: the shipped pool (smtp_pool_size 5), a pool of one connection, and no reuse at all (a
 * new connection — greeting, EHLO, QUIT — per message, what an unpooled transport does). The
 * client and the server share this process and its 2 cores, so the numbers are a floor for the
 * channel, not a property of any real relay.
 *
 * @module bench
 */
import type { AddressInfo } from 'node:net';
import { createSilentLogger, parseConfig, type OtpMessage } from '@securemfa/core';
import { createSmtpChannel, type SmtpChannel } from '@securemfa/email-otp';
import { SMTPServer } from 'smtp-server';
import type { BenchSuite } from '../types.js';

/** Code e-mails per operation. */
export const BURST = 20;

/** A counting SMTP sink on 127.0.0.1, port 0. */
async function startSink(): Promise<{
  port: number;
  received: () => number;
  close(): Promise<void>;
}> {
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 500,
    size: 256 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The suite, registered in ../registry.ts. */
export const smtpSuite: BenchSuite = {
  id: 'smtp',
  title: `E-mail OTP delivery to a local SMTP server: one op = ${BURST} code e-mails at once (messages/s = ops/s × ${BURST})`,
  iterations: 60,
  maxMs: 6_000,
  warmup: 5,
  async setup() {
    const sink = await startSink();
    const config = (poolSize: number) =>
      parseConfig('email-otp', {
        smtp_server: '127.0.0.1',
        smtp_port: sink.port,
        smtp_mailfrom: 'mfa.no.reply@bench.test',
        smtp_pool_size: poolSize,
        smtp_timeout_ms: 10_000,
        company: 'Bench',
      }).config;
    const logger = createSilentLogger();
    const pooled = await createSmtpChannel({ config: config(5), logger });
    const single = await createSmtpChannel({ config: config(1), logger });
    let n = 0;
    const message = (): OtpMessage => {
      n += 1;
      return {
        upn: `user${n % 1000}@bench.test`,
        to: `user${n % 1000}@bench.test`,
        code: String(100_000 + (n % 900_000)),
        validUntil: new Date(Date.now() + 60_000),
        lang: n % 3 === 0 ? 'de' : 'en',
        attributes: {},
      };
    };
    const burst = (send: () => Promise<unknown>) => () =>
      Promise.all(Array.from({ length: BURST }, send));
    const through = (channel: SmtpChannel) => () =>
      channel.deliver(message(), AbortSignal.timeout(10_000));
    // A channel per message: connect, greet, send, QUIT — no connection is reused.
    const fresh = async () => {
      const channel = await createSmtpChannel({ config: config(1), logger });
      try {
        await channel.deliver(message(), AbortSignal.timeout(10_000));
      } finally {
        await channel.close();
      }
    };

    // Self-check: each case really delivers its burst to the server.
    for (const fn of [burst(through(pooled)), burst(through(single)), burst(fresh)]) {
      const before = sink.received();
      await fn();
      const got = sink.received() - before;
      if (got !== BURST) throw new Error(`bench self-check: ${got} of ${BURST} e-mails arrived`);
    }

    return {
      cases: [
        {
          id: 'pool-5',
          title: `${BURST} e-mails over the shipped pool (smtp_pool_size 5, connections reused)`,
          fn: burst(through(pooled)),
        },
        {
          id: 'pool-1',
          title: `${BURST} e-mails over a pool of one connection (smtp_pool_size 1)`,
          fn: burst(through(single)),
        },
        {
          id: 'no-reuse',
          title: `${BURST} e-mails, a new SMTP connection for each (no pool)`,
          fn: burst(fresh),
        },
      ],
      async teardown() {
        await pooled.close();
        await single.close();
        await sink.close();
      },
    };
  },
  ratios: [
    {
      id: 'pool-vs-no-reuse',
      title: 'shipped pool ÷ a new connection per message',
      numerator: 'pool-5',
      denominator: 'no-reuse',
      target: 1.5,
    },
    {
      id: 'pool-5-vs-pool-1',
      title: 'five pooled connections ÷ one',
      numerator: 'pool-5',
      denominator: 'pool-1',
    },
  ],
};
