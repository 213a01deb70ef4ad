/**
 * The agent's event log: core's logger with the seed's event source "SecureMFA WIN OTP", the
 * config's secrets registered for redaction. With log_file the records go there (info and up,
 * debug with verboselog); without, failure events and warnings go to standard error (all
 * records with verboselog), so a logon prompt stays clean.
 *
 * @see seed 004 "Source: SecureMFA WIN OTP", event IDs 5550–5557
 * @module agent
 */
import { createLogger, type Logger } from '@securemfa/core';
import type { AgentConfig } from './config/agent-keys.js';
import { logFilePath } from './config/derived-settings.js';

/** The event source of every record. */
export const EVENT_SOURCE = 'SecureMFA WIN OTP';

/**
 * Create the logger of a command.
 *
 * @param config - the agent config (verboselog, log_file, secrets)
 * @param configFile - the config file (log_file resolves beside it)
 * @returns the logger; close it before the process ends
 */
export function createAgentLogger(
  config: Pick<
    AgentConfig,
    'verboselog' | 'log_file' | 'data_encryption_passphrase' | 'api_headers_value'
  >,
  configFile: string,
): Logger {
  const file = logFilePath(config, configFile);
  return createLogger({
    source: EVENT_SOURCE,
    console: file === undefined,
    file,
    verbose: config.verboselog,
    level: file === undefined ? 'warn' : 'info',
    secrets: [config.data_encryption_passphrase, config.api_headers_value],
  });
}
