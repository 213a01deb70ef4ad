/**
 * `securemfa-win-otp uninstall [--pam-dir D] [--config-file F]`: remove the PAM block the
 * agent added (the file too when nothing else is in it), the offline cache and the config file.
 * Idempotent: nothing installed is exit 0. Exit 2 when the config cannot be read.
 *
 * @see seed 004 "Uninstall-SecureMFA_WIN_OTP_AuthenticationProvider"
 * @module cli
 */
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { createWinEnvelope, EventId } from '@securemfa/core';
import type { CliIo } from '@securemfa/core/cli';
import { createAgentLogger } from '../../agent-logger.js';
import { readAgentConfigFile, resolveConfigFile } from '../../config/config-file.js';
import { offlineCachePath } from '../../config/derived-settings.js';
import { createOfflineCache } from '../../offline/offline-cache.js';
import { uninstallPamBlock } from '../../pam/pam-snippet.js';
import { exitWith, type CommonOptions, type WinOtpCliDeps } from '../cli-context.js';

/**
 * Uninstall the agent.
 *
 * @param options - parsed options
 * @param io - CLI I/O
 * @returns the exit code
 */
export async function uninstallCommand(options: CommonOptions, io: CliIo): Promise<number> {
  const file = resolveConfigFile(options.configFile, io.env, io.cwd);
  let loaded;
  try {
    loaded = await readAgentConfigFile(file, { requireAll: false });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_CONFIG_NOT_FOUND') {
      io.out(`nothing to uninstall: no ${file}\n`);
      return 0;
    }
    throw err;
  }
  const { config } = loaded;
  const logger = createAgentLogger(config, file);
  try {
    if (config.pam_file !== '') {
      const r = await uninstallPamBlock(config.pam_file);
      io.out(
        r.deleted
          ? `removed ${config.pam_file} (it held only the agent’s block)\n`
          : r.removed
            ? `removed the agent’s block from ${config.pam_file}\n`
            : `no agent block in ${config.pam_file}\n`,
      );
    }
    const cacheFile = offlineCachePath(config, file);
    if (config.data_encryption_passphrase !== '') {
      await createOfflineCache({
        file: cacheFile,
        envelope: createWinEnvelope({ passphrase: config.data_encryption_passphrase }),
      }).remove();
    } else {
      await rm(cacheFile, { force: true });
    }
    io.out(`removed the offline cache ${cacheFile}\n`);
    await rm(file, { force: true });
    io.out(`removed ${file}\n`);
    logger.event(EventId.ConfigSuccess, 'win-otp agent uninstalled', { file });
  } finally {
    await logger.close();
  }
  return 0;
}

/**
 * Declare `uninstall`.
 *
 * @param program - the program
 * @param io - CLI I/O
 * @param _deps - injected dependencies (none used)
 */
export function registerUninstallCommand(program: Command, io: CliIo, _deps: WinOtpCliDeps): void {
  program
    .command('uninstall')
    .description('remove the PAM block, the offline cache and the config file')
    .option('-c, --config-file <file>', 'the agent config file')
    .action(async (opts: CommonOptions) => exitWith(await uninstallCommand(opts, io)));
}
