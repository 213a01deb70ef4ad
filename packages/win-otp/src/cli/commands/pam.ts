/**
 * `securemfa-win-otp pam [--config-file F]`: what pam_exec runs (`auth required pam_exec.so
 * expose_authtok quiet stdout …`). The user is `PAM_USER`, the code arrives on standard input
 * (pam_exec's expose_authtok), `PAM_RHOST` tells a remote session from a local one. Exit 0 lets
 * PAM continue, anything else fails the logon; with `stdout` the failure text (with the
 * self-service password link, sspr_url) reaches the user.
 *
 * RDPonly: a session without a remote host (local console) is not asked for a code.
 *
 * @see pam_exec(8); seed 004 "RDPonly", "Change Password - LINK"
 * @module cli
 */
import type { Command } from 'commander';
import { EventId } from '@securemfa/core';
import type { CliIo } from '@securemfa/core/cli';
import { ssprUrl } from '../../config/derived-settings.js';
import { reasonText } from '../../reason-text.js';
import {
  exitWith,
  firstLine,
  usageError,
  withAgent,
  type CommonOptions,
  type WinOtpCliDeps,
} from '../cli-context.js';

/**
 * Run the PAM hook.
 *
 * @param options - `--config-file`
 * @param io - CLI I/O (PAM_* variables in `io.env`, the code on `io.readStdin`)
 * @param deps - injected clock
 * @returns 0 to let the logon continue, 1 to fail it, 2 for a usage or configuration error
 */
export async function pamCommand(
  options: CommonOptions,
  io: CliIo,
  deps: WinOtpCliDeps,
): Promise<number> {
  const user = io.env.PAM_USER ?? '';
  if (user === '') {
    usageError(
      io,
      'PAM_USER is not set: this command is run by pam_exec',
      'add the line `securemfa-win-otp install` prints to a PAM service, or use validate --user',
    );
  }
  const type = io.env.PAM_TYPE ?? 'auth';
  const rhost = io.env.PAM_RHOST ?? '';
  return withAgent(
    options,
    io,
    deps,
    async (agent, loaded, logger) => {
      if (type !== 'auth') {
        logger.debug('pam: nothing to do for this PAM type', { type });
        return 0;
      }
      if (loaded.config.RDPonly && rhost === '') {
        logger.event(EventId.ProviderSuccess, 'local session: no code asked (RDPonly)', {
          upn: user,
          service: io.env.PAM_SERVICE,
        });
        return 0;
      }
      const code = firstLine(await io.readStdin());
      let r;
      try {
        r = await agent.validate(user, code, { rhost: rhost === '' ? undefined : rhost });
      } catch (err) {
        if (err instanceof TypeError) {
          io.out('SecureMFA: this user name cannot be checked.\n');
          return 1;
        }
        throw err;
      }
      if (r.ok) return 0;
      const link = ssprUrl(loaded.config);
      io.out(`SecureMFA: the code was not accepted: ${reasonText(r.reason, r.lockedUntil)}.\n`);
      if (link !== '') io.out(`Change or reset your password: ${link}\n`);
      return 1;
    },
    'log',
  );
}

/**
 * Declare `pam`.
 *
 * @param program - the program
 * @param io - CLI I/O
 * @param deps - injected dependencies
 */
export function registerPamCommand(program: Command, io: CliIo, deps: WinOtpCliDeps): void {
  program
    .command('pam')
    .description('the pam_exec hook (expose_authtok): PAM_USER, the code on standard input')
    .option('-c, --config-file <file>', 'the agent config file')
    .action(async (opts: CommonOptions) => exitWith(await pamCommand(opts, io, deps)));
}
