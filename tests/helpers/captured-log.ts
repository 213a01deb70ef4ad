// A real SecureMFA logger (createLogger: winston + redaction) whose records a test reads back:
// JSON lines written to an in-memory stream, parsed into objects. What the tests assert is
// exactly what a log file would hold.
import { PassThrough } from 'node:stream';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { createLogger, type Logger } from '@securemfa/core';
import winston from 'winston';

/** A logger and the records it wrote. */
export interface CapturedLog {
  logger: Logger;
  /** Parsed records, in order. */
  readonly records: Record<string, unknown>[];
  /** The raw JSON lines, joined (to search for leaked values). */
  text(): string;
  /** Wait until winston has written what was logged so far. */
  flush(): Promise<void>;
  /** Forget the records so far. */
  clear(): void;
}

/**
 * Create a capturing logger.
 *
 * @param source - the event source the records carry (the provider's, e.g. `Secure MFA OTP`)
 * @param options - verboselog, secrets to scrub (as commandLogger registers them)
 * @returns the logger and its records
 */
export function captureProviderLog(
  source: string,
  options: { verbose?: boolean; secrets?: string[] } = {},
): CapturedLog {
  const stream = new PassThrough();
  const records: Record<string, unknown>[] = [];
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      lines.push(line);
      records.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const logger = createLogger({
    source,
    console: false,
    verbose: options.verbose ?? false,
    secrets: options.secrets ?? [],
    transports: [new winston.transports.Stream({ stream })],
  });
  return {
    logger,
    records,
    text: () => lines.join('\n'),
    flush: async () => {
      // winston hands a record to its transports over a few turns of the event loop.
      await tick();
      await tick();
      await sleep(20);
    },
    clear() {
      records.length = 0;
      lines.length = 0;
    },
  };
}
