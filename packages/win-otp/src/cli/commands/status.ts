/**
 * `securemfa-win-otp status [--json] [--config-file F]`: the portal, the SSPR link (sspr_url,
 * default the endpoint's host), RDPonly, the offline settings, the offline cache (users, sync
 * and expiry times, lockouts; or "refused" when it fails verification) and the PAM service.
 * Never a secret. Exit 0, or 2 for a configuration error.
 *
 * @module cli
 */
import type { Command } from 'commander';
import { printJson, type CliIo } from '@securemfa/core/cli';
import { exitWith, withAgent, type CommonOptions, type WinOtpCliDeps } from '../cli-context.js';

interface StatusOptions extends CommonOptions {
  json?: boolean;
}

/**
 * Print the status.
 *
 * @param options - parsed options
 * @param io - CLI I/O
 * @param deps - injected clock
 * @returns the exit code
 */
export async function statusCommand(
  options: StatusOptions,
  io: CliIo,
  deps: WinOtpCliDeps,
): Promise<number> {
  return withAgent(options, io, deps, async (agent) => {
    const s = await agent.status();
    if (options.json === true) {
      printJson(io, s);
      return 0;
    }
    const rows: [string, string][] = [
      ['config', s.configFile],
      ['api_endpoint', `${s.apiEndpoint} (POST ${s.portalUrl})`],
      ['sspr_url', s.ssprUrl],
      ['anchordnsname', s.anchordnsname === '' ? '(none)' : s.anchordnsname],
      ['RDPonly', s.rdpOnly ? 'true (remote sessions only)' : 'false (all sessions)'],
      ['proxy', s.proxy ?? '(none)'],
      [
        'offline',
        s.offline.enabled
          ? `enabled: ${s.offline.validDays} day(s); lockout after ${s.offline.loginFailures} failure(s) for ${s.offline.lockoutMinutes} minute(s)`
          : 'disabled (totp_offline_secret_valid_days 0)',
      ],
      [
        'cache',
        `${s.cache.file}: ${
          s.cache.state === 'refused'
            ? 'REFUSED (altered or another passphrase): sync again'
            : s.cache.state === 'absent'
              ? 'no synced users'
              : `${s.cache.users.length} synced user(s)`
        }`,
      ],
    ];
    for (const u of s.cache.users) {
      const state = u.expired ? 'EXPIRED' : 'valid';
      const lock =
        u.lockedUntil === undefined ? '' : `, locked until ${u.lockedUntil.toISOString()}`;
      rows.push([
        '',
        `${u.upn}: synced ${u.syncedAt.toISOString()}, ${state} until ${u.expiresAt.toISOString()}${lock}`,
      ]);
    }
    rows.push([
      'pam',
      s.pam === undefined ? '(not installed by this agent)' : `${s.pam.service} (${s.pam.file})`,
    ]);
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) io.out(`${k.padEnd(width)}  ${v}\n`);
    return 0;
  });
}

/**
 * Declare `status`.
 *
 * @param program - the program
 * @param io - CLI I/O
 * @param deps - injected dependencies
 */
export function registerStatusCommand(program: Command, io: CliIo, deps: WinOtpCliDeps): void {
  program
    .command('status')
    .description('show the portal, the SSPR link, the offline settings and the offline cache')
    .option('--json', 'print the status as JSON')
    .option('-c, --config-file <file>', 'the agent config file')
    .action(async (opts: StatusOptions) => exitWith(await statusCommand(opts, io, deps)));
}
