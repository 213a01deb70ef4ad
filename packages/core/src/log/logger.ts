/**
 * The SecureMFA logger: winston, structured JSON records carrying the manuals' event IDs,
 * every record redacted (see redact.ts) before any transport sees it.
 *
 * Record shape: `{ timestamp, level, source, eventId?, outcome?, upn?, ip?, message, … }`.
 * Destinations: console (stderr, so CLI stdout stays clean), a file, syslog (RFC 5424 over UDP
 * to a loopback or configured collector) — any combination.
 *
 * @module log
 */
import winston from 'winston';
import type { EventId } from './events.js';
import { createRedactor, type Redactor } from './redact.js';

/** Where log records go. */
export interface LogDestinations {
  /** Write JSON lines to stderr (default true). */
  console?: boolean;
  /** Append JSON lines to this file. */
  file?: string | undefined;
  /** Any extra winston transport (syslog, tests). */
  transports?: winston.transport[];
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions extends LogDestinations {
  /** Event source, e.g. `Secure MFA OTP` / `securemfa-qr-otp`. */
  source: string;
  /** verboselog: also write `debug` records (still redacted). */
  verbose?: boolean;
  /** Secret values to scrub from every string (passphrases, passwords, API keys). */
  secrets?: Iterable<string | undefined | null>;
  /** Minimum level when not verbose (default `info`). */
  level?: 'error' | 'warn' | 'info';
}

/** Fields a log record may carry. Secret-named fields are masked whatever their value. */
export type LogFields = Record<string, unknown> & {
  upn?: string | undefined;
  ip?: string | undefined;
  reason?: string | undefined;
};

/** The logger every module receives (injected, never imported as a singleton). */
export interface Logger {
  /** A numbered event (5550–5557) with its outcome. */
  event(eventId: EventId, message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  /** Only written with verboselog. */
  debug(message: string, fields?: LogFields): void;
  /** A logger whose records all carry these fields. */
  child(fields: LogFields): Logger;
  /** The redactor in use (to register secrets learnt later). */
  readonly redactor: Redactor;
  /** Flush and close the transports. */
  close(): Promise<void>;
}

const FAILURE_EVENTS = new Set<number>([5551, 5553, 5557]);

/**
 * Create a logger.
 *
 * @param options - source, destinations, verbosity and secrets to scrub
 * @returns the logger
 * @example
 * ```ts
 * const log = createLogger({ source: 'securemfa-qr-otp', secrets: [cfg.data_encryption_passphrase] });
 * log.event(EventId.OtpSuccess, 'OTP accepted', { upn, ip });
 * ```
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const redactor = createRedactor(options.secrets ?? []);
  const transports: winston.transport[] = [...(options.transports ?? [])];
  if (options.console ?? true) {
    transports.push(
      new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] }),
    );
  }
  if (options.file !== undefined)
    transports.push(new winston.transports.File({ filename: options.file }));
  const redactFormat = winston.format((info) => {
    const { level, message, ...rest } = info;
    const clean = redactor.redact({ ...rest, message }) as Record<string, unknown>;
    const out = info as Record<string | symbol, unknown>;
    for (const key of Object.keys(out)) if (key !== 'level') delete out[key];
    Object.assign(out, clean, { level });
    return info;
  });
  const base = winston.createLogger({
    level: options.verbose === true ? 'debug' : (options.level ?? 'info'),
    defaultMeta: { source: options.source },
    format: winston.format.combine(
      redactFormat(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports:
      transports.length > 0 ? transports : [new winston.transports.Console({ silent: true })],
  });
  return wrap(base, redactor, {});
}

function wrap(base: winston.Logger, redactor: Redactor, bound: LogFields): Logger {
  const write = (level: string, message: string, fields: LogFields | undefined): void => {
    base.log(level, message, { ...bound, ...fields });
  };
  return {
    event(eventId, message, fields) {
      const outcome = FAILURE_EVENTS.has(eventId) ? 'failure' : 'success';
      write(outcome === 'failure' ? 'warn' : 'info', message, { eventId, outcome, ...fields });
    },
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
    child: (fields) => wrap(base, redactor, { ...bound, ...fields }),
    redactor,
    close: () =>
      new Promise<void>((resolve) => {
        base.on('finish', () => resolve());
        base.end();
        setTimeout(resolve, 1000).unref();
      }),
  };
}

/** A logger that writes nothing (tests, library users who bring their own). */
export function createSilentLogger(): Logger {
  return createLogger({ source: 'silent', console: false });
}
