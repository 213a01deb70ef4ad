/**
 * Read a passphrase from a file (`--new-passphrase-file`, `--old-passphrase-file`, and
 * `--bind-password-file`): the file's text with one trailing newline removed, everything else kept
 * exactly (the configuration keeps passphrases exactly as written, spaces included). Passing
 * secrets in files keeps them out of the shell history and the process list.
 *
 * @module passphrase-file
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { warn } from '@securemfa/core/cli';
import type { ToolsIo } from './tools-io.js';
import { UsageError } from './tool-errors.js';

/** Largest passphrase file read. */
const MAX_BYTES = 64 * 1024;

/**
 * Read a passphrase file.
 *
 * @param option - the option's name, for messages (e.g. `--new-passphrase-file`)
 * @param file - the path (relative to the working directory)
 * @param io - CLI I/O (cwd; warnings on stderr)
 * @param minLength - warn when shorter (0: no warning)
 * @returns the passphrase
 * @throws {UsageError} when the file cannot be read or is empty (exit code 2)
 */
export async function readPassphraseFile(
  option: string,
  file: string,
  io: ToolsIo,
  minLength = 16,
): Promise<string> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_BYTES)
      throw new UsageError(
        `${option}: ${file} is larger than ${MAX_BYTES} bytes; expected a file holding one passphrase`,
      );
    if ((info.mode & 0o077) !== 0) {
      warn(
        io,
        `${option}: ${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${option}: cannot read ${file} (${code ?? String(err)})`, {
      hint: 'give the path of a file that holds the passphrase on one line',
      cause: err,
    });
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') {
    throw new UsageError(`${option}: ${file} is empty; expected the passphrase`);
  }
  if (minLength > 0 && value.length < minLength) {
    warn(
      io,
      `${option}: the passphrase has ${value.length} characters; use ${minLength} or more random characters`,
    );
  }
  return value;
}
