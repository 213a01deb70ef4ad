// Real SMTP servers on 127.0.0.1 for the e-mail OTP suites (port 0, read back):
// - startSmtpServer: smtp-server in-process — plain, STARTTLS or implicit TLS; anonymous or AUTH
//   PLAIN/LOGIN with a password the test may change; recipients it refuses with 550. Every
//   message it accepts is parsed with mailparser.
// - startSmtpFront: a TCP front whose behaviour the test switches between "hang" and
//   "forward to a real server", so one provider node can fail and then be retried.
// The hanging server (accepts TCP, never greets) and the port nothing listens on (server down)
// are testkit's startSilentServer and closedPort.
// Everything closes in afterAll; every wait is bounded.
import { Buffer } from 'node:buffer';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { startTcpForwarder, type ForwarderMode, type TcpForwarder } from '@securemfa/testkit';

/** A message the server accepted. */
export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  /** Whether the session was TLS (STARTTLS or implicit) when the message came. */
  secure: boolean;
  /** The authenticated user, if any. */
  user: string | undefined;
  /** The raw message as received. */
  raw: string;
  /** The message parsed by mailparser. */
  parsed: ParsedMail;
}

/** An AUTH attempt the server saw. */
export interface AuthAttempt {
  method: string;
  username: string;
  ok: boolean;
  secure: boolean;
}

/** Options of {@link startSmtpServer}. */
export interface SmtpServerOptions {
  /** TLS key and certificate (PEM): STARTTLS is offered (or implicit TLS with `secure`). */
  tls?: { key: string; cert: string };
  /** Implicit TLS from the first byte (needs `tls`). */
  secure?: boolean;
  /** AUTH required with these credentials. Omit for an anonymous relay (AUTH disabled). */
  auth?: { user: string; password: string; methods?: Array<'PLAIN' | 'LOGIN'> };
  /** Listen on this port (default 0 = any free port). */
  port?: number;
}

/** A running SMTP server. */
export interface TestSmtpServer {
  port: number;
  /** Messages accepted so far, in order. */
  readonly mails: ReceivedMail[];
  /** AUTH attempts so far. */
  readonly auths: AuthAttempt[];
  /** TCP connections opened so far. */
  readonly connections: number;
  /** MAIL FROM commands accepted so far (a message was about to be sent). */
  readonly envelopes: number;
  /** Recipients (lower case) refused with `550 5.1.1 <addr>: Recipient address rejected`. */
  readonly rejectRecipients: Set<string>;
  /** The password AUTH accepts (tests may change it). */
  password: string;
  /** Wait (bounded) until at least `count` messages arrived; returns them. */
  waitForMails(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Forget mails, auths, envelopes and connection counts (not the settings). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Start an smtp-server on 127.0.0.1.
 *
 * @param options - TLS, auth, port
 * @returns the server (close it in afterAll)
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const auths: AuthAttempt[] = [];
  const rejectRecipients = new Set<string>();
  let connections = 0;
  let envelopes = 0;
  const state = { password: options.auth?.password ?? '' };
  const disabled: string[] = [];
  if (options.auth === undefined) disabled.push('AUTH');
  if (options.tls === undefined) disabled.push('STARTTLS');

  const serverOptions: SMTPServerOptions = {
    secure: options.secure === true,
    ...(options.tls === undefined ? {} : { key: options.tls.key, cert: options.tls.cert }),
    disabledCommands: disabled,
    authMethods: options.auth?.methods ?? ['PLAIN', 'LOGIN'],
    authOptional: options.auth === undefined,
    // AUTH over a plain connection only when the server has no TLS at all.
    allowInsecureAuth: options.tls === undefined,
    logger: false,
    closeTimeout: 500,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === state.password;
      auths.push({
        method: auth.method,
        username: auth.username ?? '',
        ok,
        secure: session.secure,
      });
      if (!ok) {
        callback(new Error('Invalid username or password'));
        return;
      }
      callback(null, { user: auth.username });
    },
    onMailFrom(_address, _session, callback) {
      envelopes += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (rejectRecipients.has(address.address.toLowerCase())) {
        const err = Object.assign(
          new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`),
          { responseCode: 550 },
        );
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const envelope = session.envelope;
            mails.push({
              from: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
              to: envelope.rcptTo.map((r) => r.address),
              secure: session.secure,
              user: typeof session.user === 'string' ? session.user : undefined,
              raw: raw.toString('utf8'),
              parsed,
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => undefined); // client resets during tests are expected
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    mails,
    auths,
    get connections() {
      return connections;
    },
    get envelopes() {
      return envelopes;
    },
    rejectRecipients,
    get password() {
      return state.password;
    },
    set password(value: string) {
      state.password = value;
    },
    async waitForMails(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() >= deadline) {
          throw new Error(`expected ${count} mail(s) within ${timeoutMs} ms, got ${mails.length}`);
        }
        await sleep(10);
      }
      return mails.slice(0, count);
    },
    reset() {
      mails.length = 0;
      auths.length = 0;
      connections = 0;
      envelopes = 0;
    },
    close() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}

/** How the front treats new connections: `hang` (accept, say nothing) or `forward`. */
export type FrontMode = ForwarderMode;

/** A switchable TCP front (testkit's forwarder). */
export type SmtpFront = TcpForwarder;

/**
 * Start a front on 127.0.0.1 for `targetPort`.
 *
 * @param targetPort - the real server behind it
 * @param mode - initial mode
 * @returns the front
 */
export function startSmtpFront(targetPort: number, mode: FrontMode): Promise<SmtpFront> {
  return startTcpForwarder(targetPort, { mode });
}

/**
 * The 6–8 digit code in a code e-mail's text ("… passcode is: 123456", in any language).
 *
 * @param mail - a received mail
 * @returns the code
 */
export function codeInMail(mail: ReceivedMail): string {
  // The only run of 6–8 digits in the text (times are 2-digit groups).
  const m = /(?<![\d:.])(\d{6,8})(?![\d:.])/.exec(mail.parsed.text ?? '');
  if (m === null) throw new Error(`no code in the mail text:\n${mail.parsed.text ?? ''}`);
  return m[1]!;
}
