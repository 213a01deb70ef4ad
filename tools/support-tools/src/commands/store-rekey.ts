/**
 * `store rekey [--new-passphrase-file F] [--old-passphrase-file F] [--yes] [--json]`:
 * re-encrypt every secret in v2 — under a new passphrase, and/or from the legacy format (and from
 * plain, when data_encryption is on). The old passphrase is the configuration's (or
 * `--old-passphrase-file`). Safe to interrupt and resumable: see rekey.ts. Asks for
 * confirmation unless `--yes`.
 *
 * After a rekey to a new passphrase, set data_encryption_passphrase of every node to it and restart
 * them: until then they cannot read the rewritten secrets (plan a maintenance window).
 *
 * Test hook: with `SECUREMFA_TOOLS_TEST_HALT_AFTER=K` in the environment, the command prints
 * `test hook: halted after K rewritten records` on stderr after the K-th rewrite and then waits
 * (up to 2 minutes), so a test can kill it at a known point.
 *
 * @module commands/store-rekey
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { createSecretCipher, EventId } from '@securemfa/core';
import { ExitError, printJson } from '@securemfa/core/cli';
import { withConfig, withJson, withYes, type CommonOptions } from '../command-options.js';
import { confirm } from '../confirm.js';
import { readPassphraseFile } from '../passphrase-file.js';
import { startProgress } from '../progress.js';
import { rekeyStore, type RekeyResult } from '../rekey.js';
import { UsageError } from '../tool-errors.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of {@link storeRekey}. */
export interface StoreRekeyOptions extends CommonOptions {
  newPassphraseFile?: string;
  oldPassphraseFile?: string;
}

/** The test hook's environment variable. */
export const HALT_AFTER_ENV = 'SECUREMFA_TOOLS_TEST_HALT_AFTER';

/**
 * Re-encrypt the store.
 *
 * @param options - passphrase files, yes, json, config
 * @param io - CLI I/O
 * @returns the counts
 * @throws {UsageError} when no passphrase is available, or a passphrase file cannot be read
 * @throws {ExitError} 1 when some records could not be rewritten (they are left untouched)
 */
export async function storeRekey(options: StoreRekeyOptions, io: ToolsIo): Promise<RekeyResult> {
  const newPass =
    options.newPassphraseFile === undefined
      ? undefined
      : await readPassphraseFile('--new-passphrase-file', options.newPassphraseFile, io);
  const oldGiven =
    options.oldPassphraseFile === undefined
      ? undefined
      : await readPassphraseFile('--old-passphrase-file', options.oldPassphraseFile, io, 0);
  const haltText = io.env[HALT_AFTER_ENV];
  const haltAfter = haltText === undefined || haltText === '' ? undefined : Number(haltText);

  const result = await withContext(options, io, async (ctx) => {
    // Old: what the values are under now; target: what they end under. Both default to the
    // configuration's passphrase, so `--old-passphrase-file` alone moves values written under an
    // earlier passphrase to the one the configuration has now.
    const oldPass = oldGiven ?? ctx.config.data_encryption_passphrase;
    const target = newPass ?? ctx.config.data_encryption_passphrase;
    if (target === '') {
      throw new UsageError(
        `nothing to encrypt with: ${ctx.file} has no data_encryption_passphrase and no --new-passphrase-file was given`,
        { hint: 'write the passphrase to a file (chmod 600) and pass --new-passphrase-file FILE' },
      );
    }
    ctx.logger.redactor.addSecrets([target, oldPass]);
    const encryptPlain = ctx.config.data_encryption || ctx.config.auth_mode === 'AD';
    const salt =
      ctx.config.data_encryption_legacy_salt === ''
        ? undefined
        : ctx.config.data_encryption_legacy_salt;
    // Only reads: `enabled` is irrelevant, and an empty passphrase can still read plain values.
    const oldCipher = createSecretCipher({
      enabled: false,
      passphrase: oldPass === '' ? undefined : oldPass,
      legacySalt: salt,
    });
    const newCipher = createSecretCipher({ enabled: true, passphrase: target, legacySalt: salt });
    const verifier = createSecretCipher({
      enabled: true,
      passphrase: target,
      legacySalt: salt,
      decryptCacheSize: 0,
    });

    const total = await ctx.store.count();
    await confirm(
      io,
      `re-encrypt the ${total} secret${total === 1 ? '' : 's'} in ${ctx.storeName}${newPass === undefined ? (oldGiven === undefined ? ' (v2, same passphrase)' : " under the configuration's passphrase") : ' under the NEW passphrase'}`,
      options.yes,
    );
    const progress = startProgress(io, 'rekey', total);
    let rewritten = 0;
    const r = await rekeyStore({
      store: ctx.store,
      oldCipher,
      newCipher,
      verifier,
      encryptPlain,
      onRecord: async (outcome, processed) => {
        progress.update(processed);
        if (outcome !== 'rewritten') return;
        rewritten += 1;
        if (haltAfter !== undefined && rewritten === haltAfter) {
          io.err(`\ntest hook: halted after ${rewritten} rewritten records\n`);
          await sleep(120_000);
          throw new Error(`${HALT_AFTER_ENV}: not killed within 2 minutes`);
        }
      },
    });
    progress.done();
    ctx.logger.event(
      r.failures.length === 0 ? EventId.ProviderSuccess : EventId.ProviderFailure,
      'support tools: store re-encrypted',
      {
        action: 'store rekey',
        store: ctx.storeName,
        newPassphrase: newPass !== undefined,
        rewritten: r.rewritten,
        done: r.done,
        failed: r.failures.length,
      },
    );
    if (options.json === true) printJson(io, { ...r, newPassphrase: newPass !== undefined });
    else {
      io.out(
        `rekey of ${ctx.storeName}: ${r.total} record${r.total === 1 ? '' : 's'}: ${r.rewritten} rewritten, ${r.done} already done` +
          `${r.plain > 0 ? `, ${r.plain} plain (data_encryption is off: left plain)` : ''}` +
          `${r.gone > 0 ? `, ${r.gone} deleted meanwhile` : ''}, ${r.failures.length} failed\n`,
      );
      for (const f of r.failures) io.out(`FAIL  ${f.upn}: ${f.reason}\n`);
      if (newPass !== undefined && r.failures.length === 0) {
        io.out(
          `next: set data_encryption_passphrase in ${ctx.file} (and in every node's configuration) to the new passphrase, then restart the nodes\n`,
        );
      }
    }
    return r;
  });
  if (result.failures.length > 0) {
    io.err(
      `error: ${result.failures.length} secret${result.failures.length === 1 ? '' : 's'} could not be re-encrypted (left untouched)\n` +
        'hint: `securemfa-tools store check` lists them; give the passphrase they were written with as --old-passphrase-file, or re-enrol those users\n',
    );
    throw new ExitError(1);
  }
  return result;
}

/**
 * Register `store rekey`.
 *
 * @param store - the `store` command
 * @param io - CLI I/O
 */
export function registerStoreRekey(store: Command, io: ToolsIo): void {
  withYes(
    withJson(
      withConfig(
        store
          .command('rekey')
          .description(
            're-encrypt every secret (new passphrase, legacy → v2); safe to interrupt and re-run',
          )
          .option('--new-passphrase-file <file>', 'file holding the new data_encryption_passphrase')
          .option(
            '--old-passphrase-file <file>',
            'file holding the passphrase the secrets are under now (default: the configuration’s)',
          ),
      ),
    ),
  ).action(async (opts: StoreRekeyOptions) => {
    await storeRekey(opts, io);
  });
}
