/**
 * `users export --out FILE [--decrypt] [--force] [--json]`: every record as JSON lines (see
 * record-line.ts). Secrets are written as stored — encrypted when the store encrypts — unless
 * `--decrypt` is given explicitly, which writes plain base32 secrets (a warning says so). The file
 * is created with mode 0600, written to a temporary name and renamed when complete, so an
 * interrupted export never leaves a truncated file under the final name. `--out -` writes to
 * stdout. An existing file is kept unless `--force`.
 *
 * @module commands/users-export
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EventId, SecureMfaError } from '@securemfa/core';
import { ExitError, printJson, warn } from '@securemfa/core/cli';
import { withConfig, withJson, type CommonOptions } from '../command-options.js';
import { allUsers } from '../iterate-users.js';
import { startProgress } from '../progress.js';
import { recordLine } from '../record-line.js';
import { UsageError } from '../tool-errors.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of {@link usersExport}. */
export interface UsersExportOptions extends CommonOptions {
  out: string;
  decrypt?: boolean;
  force?: boolean;
}

/** Result of {@link usersExport}. */
export interface UsersExportResult {
  file: string;
  exported: number;
  decrypted: boolean;
  /** With `--decrypt`: records whose secret did not decrypt (written as stored). */
  notDecrypted: string[];
}

/** Bytes buffered before a write. */
const CHUNK = 64 * 1024;

/**
 * Export every record.
 *
 * @param options - out, decrypt, force, json, config
 * @param io - CLI I/O
 * @returns what was written
 * @throws {UsageError} when the file exists and `--force` was not given
 * @throws {ExitError} 1 after writing, when some secrets could not be decrypted
 */
export async function usersExport(
  options: UsersExportOptions,
  io: ToolsIo,
): Promise<UsersExportResult> {
  const toStdout = options.out === '-';
  const path = toStdout ? '-' : resolve(io.cwd, options.out);
  if (!toStdout && existsSync(path) && options.force !== true) {
    throw new UsageError(`${options.out} already exists; nothing written`, {
      hint: 'choose another file, or pass --force to replace it',
    });
  }
  const result = await withContext(options, io, async (ctx) => {
    const decrypt = options.decrypt === true;
    if (decrypt) {
      warn(
        io,
        `--decrypt: ${toStdout ? 'the output' : options.out} will hold PLAIN TOTP secrets; protect it and delete it when done`,
      );
    }
    const total = await ctx.store.count();
    const progress = startProgress(io, 'export', total);
    const notDecrypted: string[] = [];
    const tmp = toStdout
      ? undefined
      : `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const fh = tmp === undefined ? undefined : await open(tmp, 'wx', 0o600);
    let exported = 0;
    let buffer = '';
    const flush = async (): Promise<void> => {
      if (buffer === '') return;
      if (fh === undefined) io.out(buffer);
      else await fh.write(buffer);
      buffer = '';
    };
    try {
      for await (const record of allUsers(ctx.store)) {
        let secret = record.secret;
        if (decrypt) {
          try {
            secret = ctx.cipher.decrypt(record.secret);
          } catch {
            notDecrypted.push(record.upn);
          }
        }
        buffer += `${recordLine(record, secret)}\n`;
        exported += 1;
        progress.update(exported);
        if (buffer.length >= CHUNK) await flush();
      }
      await flush();
      progress.done();
      if (fh !== undefined && tmp !== undefined) {
        await fh.sync();
        await fh.close();
        await rename(tmp, path);
      }
    } catch (err) {
      progress.done();
      if (fh !== undefined && tmp !== undefined) {
        await fh.close().catch(() => undefined);
        await unlink(tmp).catch(() => undefined);
      }
      if (err instanceof SecureMfaError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new SecureMfaError(`cannot write ${options.out} (${code ?? String(err)})`, {
        hint: 'check the folder exists, this user may write to it and the disk has room',
        cause: err,
      });
    }
    ctx.logger.event(EventId.ProviderSuccess, 'support tools: users exported', {
      action: 'users export',
      store: ctx.storeName,
      count: exported,
      decrypted: decrypt,
      file: path,
    });
    return { file: path, exported, decrypted: decrypt, notDecrypted };
  });
  if (options.json === true && !toStdout) printJson(io, result);
  else {
    io.err(
      `exported ${result.exported} record${result.exported === 1 ? '' : 's'} to ${options.out} (${result.decrypted ? 'secrets DECRYPTED' : 'secrets as stored'})\n`,
    );
  }
  if (result.notDecrypted.length > 0) {
    io.err(
      `error: ${result.notDecrypted.length} secret${result.notDecrypted.length === 1 ? '' : 's'} did not decrypt and ${result.notDecrypted.length === 1 ? 'was' : 'were'} written as stored: ${result.notDecrypted.join(', ')}\n` +
        'hint: run `securemfa-tools store check` to see why\n',
    );
    throw new ExitError(1);
  }
  return result;
}

/**
 * Register `users export`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersExport(users: Command, io: ToolsIo): void {
  withJson(
    withConfig(
      users
        .command('export')
        .description('write every record to a JSON-lines file (secrets stay encrypted)')
        .requiredOption('--out <file>', 'file to write (mode 0600); - for stdout')
        .option('--decrypt', 'write PLAIN secrets instead of the stored (encrypted) values')
        .option('--force', 'replace the file if it exists'),
    ),
  ).action(async (opts: UsersExportOptions) => {
    await usersExport(opts, io);
  });
}
