/**
 * Options shared by the store commands: `-c, --config FILE` and `--provider ID` (which
 * configuration), `--json` (machine-readable output) and `--yes` (confirm destructive work).
 *
 * @module command-options
 */
import { Option, type Command } from 'commander';
import { PROVIDER_IDS } from '@securemfa/core';
import type { ConfigOptions } from './tools-config.js';

/** Parsed options every store command has. */
export interface CommonOptions extends ConfigOptions {
  json?: boolean;
  yes?: boolean;
}

/**
 * Add `-c/--config` and `--provider` to a command.
 *
 * @param cmd - the command
 * @returns the command
 */
export function withConfig(cmd: Command): Command {
  return cmd
    .option(
      '-c, --config <file>',
      'provider configuration file (default: $SECUREMFA_CONFIG, else the one provider file in this folder)',
    )
    .addOption(
      new Option(
        '--provider <id>',
        'which provider the file configures (default: from its name or keys)',
      ).choices(PROVIDER_IDS),
    );
}

/**
 * Add `--json`.
 *
 * @param cmd - the command
 * @returns the command
 */
export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print the result as JSON (for scripts)');
}

/**
 * Add `--yes`.
 *
 * @param cmd - the command
 * @returns the command
 */
export function withYes(cmd: Command): Command {
  return cmd.option('-y, --yes', 'do it without asking (required when stdin is not a terminal)');
}
