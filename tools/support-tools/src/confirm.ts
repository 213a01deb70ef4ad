/**
 * Confirmation of destructive commands (delete, reset, rekey, import over existing records,
 * schema extension): `--yes` confirms up front; otherwise the question is asked on the
 * terminal, and when stdin is not a terminal (a script, a pipe) the command refuses rather than
 * guess.
 *
 * @module confirm
 */
import { ExitError } from '@securemfa/core/cli';
import type { ToolsIo } from './tools-io.js';
import { UsageError } from './tool-errors.js';

/**
 * Ask before doing something that cannot be undone.
 *
 * @param io - CLI I/O
 * @param question - what will happen, e.g. `delete the OTP record of alice@contoso.com`
 * @param yes - `--yes` was given
 * @throws {UsageError} when stdin is not a terminal and `--yes` was not given (exit code 2)
 * @throws {ExitError} with exit code 1 when the operator answers anything but yes
 */
export async function confirm(
  io: ToolsIo,
  question: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes === true) return;
  if (!io.stdinIsTty) {
    throw new UsageError(`refusing to ${question} without confirmation: stdin is not a terminal`, {
      hint: 'pass --yes to confirm in scripts',
    });
  }
  const answer = (await io.prompt(`${question}? [y/N] `)).trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') {
    io.err('aborted: nothing was changed\n');
    throw new ExitError(1);
  }
}
