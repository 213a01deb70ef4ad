/**
 * `config init` (write a sample config with fresh random keys) and `config check` (validate and
 * print the normalised config, secrets masked).
 *
 * @module cli
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ProviderDefinition } from '../../adapter/provider-definition.js';
import { checkConfigFile } from '../../config/load-config.js';
import { maskSecrets } from '../../config/mask.js';
import { sampleConfig } from '../../config/sample.js';
import type { ProviderConfig } from '../../config/types.js';
import { SecureMfaError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { printJson, warn } from '../output.js';
import { ExitError } from '../run.js';

/**
 * Add `config init` and `config check`.
 *
 * @param program - the provider program
 * @param definition - the provider
 * @param io - CLI I/O
 */
export function addConfigCommands(
  program: Command,
  definition: ProviderDefinition<ProviderConfig>,
  io: CliIo,
): void {
  const config = program.command('config').description('write or check the configuration file');

  config
    .command('init')
    .description(
      `write a sample ${definition.configFileName} with every key, secure defaults and fresh random keys`,
    )
    .option('--out <file>', 'file to write (default: print to stdout)')
    .option('--force', 'overwrite an existing file')
    .action(async (opts: { out?: string; force?: boolean }) => {
      const text = sampleConfig(definition.id);
      if (opts.out === undefined) {
        io.out(text);
        return;
      }
      const path = resolve(io.cwd, opts.out);
      try {
        // 0600: the file holds the passphrase and the API key.
        await writeFile(path, text, { mode: 0o600, flag: opts.force === true ? 'w' : 'wx' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new SecureMfaError(
          code === 'EEXIST'
            ? `${opts.out} already exists; nothing written`
            : `cannot write ${opts.out} (${code ?? String(err)})`,
          {
            hint:
              code === 'EEXIST'
                ? 'pass --force to overwrite it (its keys will change: existing encrypted secrets need the old passphrase)'
                : 'check the folder exists and this user may write to it',
            cause: err,
          },
        );
      }
      io.err(
        `wrote ${opts.out}: edit it, then run \`${definition.bin} config check -c ${opts.out}\`\n`,
      );
    });

  config
    .command('check')
    .description('validate the configuration and print it normalised, secrets masked')
    .option(
      '-c, --config <file>',
      `configuration file (default: ./${definition.configFileName} or $SECUREMFA_CONFIG)`,
    )
    .option('--quiet', 'print nothing when the configuration is valid')
    .action(async (opts: { config?: string; quiet?: boolean }) => {
      const result = await checkConfigFile(definition.id, {
        file: opts.config,
        env: io.env,
        cwd: io.cwd,
      });
      for (const w of result.warnings) warn(io, w.message);
      if (result.error !== undefined) {
        for (const e of result.errors) io.err(`error: ${e.message}\n`);
        if (result.error.hint !== undefined) io.err(`hint: ${result.error.hint}\n`);
        throw new ExitError(2);
      }
      if (opts.quiet !== true) printJson(io, maskSecrets(result.config));
      io.err(
        `${result.file ?? 'built-in defaults'}: valid (${result.warnings.length} warning(s))\n`,
      );
    });
}
