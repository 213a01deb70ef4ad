/**
 * `securemfa-win-otp install [--<seed parameter> VALUE …] [--pam-service S] [--pam-install]
 * [--pam-dir D] [--dry-run] [--config-file F]`: the seed's `Install-SecureMFA_WIN_OTP_…`.
 *
 * Every parameter is a flag (the seed name in kebab-case: `--anchordnsname`, `--api-endpoint`,
 * `--rdp-only`, `--totp-offline-secret-valid-days`, …); secrets may come from a file or standard
 * input (`--data-encryption-passphrase-file F`, `--api-headers-value-file -`) so they stay out
 * of process lists. Re-running install changes only what is given: the rest is kept from the
 * existing file. The file is written readable by its owner only (0600). On Linux the PAM block
 * is printed for the service (RDPonly → sshd, else common-auth), or added to it with
 * `--pam-install`. Exit 0 installed, 2 usage or configuration error, 1 anything else.
 *
 * @see seed 004 "Install-SecureMFA_WIN_OTP_AuthenticationProvider", "Available parameters"
 * @module cli
 */
import type { Command } from 'commander';
import { EventId, SECRET_MASK } from '@securemfa/core';
import { printJson, warn, type CliIo } from '@securemfa/core/cli';
import { createAgentLogger } from '../../agent-logger.js';
import {
  AGENT_KEY_NAMES,
  AGENT_KEYS,
  defaultAgentConfig,
  type AgentKey,
  type AgentKeyName,
} from '../../config/agent-keys.js';
import {
  readAgentConfigFile,
  resolveConfigFile,
  writeAgentConfigFile,
} from '../../config/config-file.js';
import { offlineCachePath, ssprUrl } from '../../config/derived-settings.js';
import { maskAgentConfig, parseAgentConfig } from '../../config/parse-agent-config.js';
import {
  DEFAULT_PAM_DIR,
  defaultPamService,
  installPamBlock,
  pamFileOf,
  renderPamBlock,
} from '../../pam/pam-snippet.js';
import {
  exitWith,
  readValueFrom,
  type CommonOptions,
  type StdinBudget,
  type WinOtpCliDeps,
} from '../cli-context.js';

/** Why the code and the password cannot share one PAM stack through pam_exec. */
const PASSWORD_AFTER_NOTE =
  'pam_unix reuses the first prompt’s answer (the code) as the password, so a password module after this block fails every logon: for sshd use keys + code (AuthenticationMethods publickey,keyboard-interactive) and comment out @include common-auth in this service (README “Linux PAM”)';

/** Keys install manages itself (not flags). */
const MANAGED: ReadonlySet<AgentKeyName> = new Set(['pam_service', 'pam_file']);

interface InstallOptions extends CommonOptions {
  pamService?: string;
  pamInstall?: boolean;
  pamDir?: string;
  dryRun?: boolean;
  [flag: string]: unknown;
}

/** commander's attribute name of a flag (`api-timeout` → `apiTimeout`). */
function attributeOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

async function fileExists(io: CliIo, file: string): Promise<boolean> {
  try {
    await readAgentConfigFile(file, { requireAll: false });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_CONFIG_NOT_FOUND') return false;
    io.err(`error: the existing ${file} cannot be read; fix or remove it, then install again\n`);
    throw err;
  }
}

/**
 * Install (or re-configure) the agent.
 *
 * @param options - parsed options
 * @param io - CLI I/O
 * @param deps - platform, agent command
 * @returns the exit code
 */
export async function installCommand(
  options: InstallOptions,
  io: CliIo,
  deps: WinOtpCliDeps,
): Promise<number> {
  const file = resolveConfigFile(options.configFile, io.env, io.cwd);
  const exists = await fileExists(io, file);
  const base: Record<string, unknown> = exists
    ? { ...(await readAgentConfigFile(file, { requireAll: false })).config }
    : { ...defaultAgentConfig() };

  const budget: StdinBudget = { used: undefined };
  for (const name of AGENT_KEY_NAMES) {
    if (MANAGED.has(name)) continue;
    const k = AGENT_KEYS[name] as AgentKey;
    const given = options[attributeOf(k.flag)];
    if (k.secret === true) {
      const fromFile = options[attributeOf(`${k.flag}-file`)];
      if (given !== undefined && fromFile !== undefined) {
        io.err(`error: give --${k.flag} or --${k.flag}-file, not both\n`);
        return 2;
      }
      if (typeof fromFile === 'string') {
        base[name] = await readValueFrom(io, fromFile, `--${k.flag}-file`, budget);
        continue;
      }
      if (given !== undefined) {
        warn(
          io,
          `--${k.flag} on the command line is visible in the process list: prefer --${k.flag}-file FILE (or - for standard input)`,
        );
      }
    }
    if (given !== undefined) base[name] = given;
  }

  const linux = (deps.platform ?? process.platform) === 'linux';
  const parsed = parseAgentConfig(base, { file });
  for (const w of parsed.warnings) warn(io, w);
  const config = parsed.config;

  let block: string | undefined;
  let service: string | undefined;
  if (linux) {
    service = options.pamService ?? (config.pam_service || defaultPamService(config.RDPonly));
    block = renderPamBlock({ command: deps.agentCommand, configFile: file });
    if (options.pamInstall === true) {
      config.pam_service = service;
      config.pam_file = pamFileOf(service, options.pamDir ?? DEFAULT_PAM_DIR);
    }
  } else if (options.pamInstall === true) {
    io.err('error: --pam-install: PAM exists on Linux only\n');
    return 2;
  }

  if (options.dryRun === true) {
    printJson(io, maskAgentConfig(config));
    if (block !== undefined) io.out(`\nPAM (${service}):\n${block}`);
    return 0;
  }

  await writeAgentConfigFile(file, config);
  const logger = createAgentLogger(config, file);
  try {
    io.out(`wrote ${file} (mode 0600)${exists ? ', updated' : ''}\n`);
    io.out(`portal    ${config.api_endpoint}\n`);
    io.out(`sspr_url  ${ssprUrl(config)}\n`);
    io.out(
      `offline   ${
        config.totp_offline_secret_valid_days > 0
          ? `enabled for ${config.totp_offline_secret_valid_days} day(s), cache ${offlineCachePath(config, file)}`
          : 'disabled'
      }\n`,
    );
    if (block !== undefined && service !== undefined) {
      if (options.pamInstall === true) {
        const { created, passwordAfter } = await installPamBlock(config.pam_file, block);
        io.out(
          `pam       ${created ? 'created' : 'updated'} ${config.pam_file} (service ${service})\n`,
        );
        if (passwordAfter) warn(io, `${config.pam_file}: ${PASSWORD_AFTER_NOTE}`);
      } else {
        const where = pamFileOf(service, options.pamDir ?? DEFAULT_PAM_DIR);
        io.out(
          `\nPAM: add these lines to ${where} (${config.RDPonly ? 'remote sessions only' : 'all logons'}), before the first auth line, or run install --pam-install:\n${block}`,
        );
        io.out(`note: ${PASSWORD_AFTER_NOTE}\n`);
      }
    }
    logger.event(EventId.ConfigSuccess, 'win-otp agent installed', {
      file,
      pamService: config.pam_service === '' ? undefined : config.pam_service,
    });
  } finally {
    await logger.close();
  }
  return 0;
}

/**
 * Declare `install` with one flag per key.
 *
 * @param program - the program
 * @param io - CLI I/O
 * @param deps - injected dependencies
 */
export function registerInstallCommand(program: Command, io: CliIo, deps: WinOtpCliDeps): void {
  const cmd = program
    .command('install')
    .description('write the agent configuration (mode 0600) and print or install the PAM block');
  for (const name of AGENT_KEY_NAMES) {
    if (MANAGED.has(name)) continue;
    const k = AGENT_KEYS[name] as AgentKey;
    const what = k.description.split(/(?<=\.)\s(?=[A-Z])/)[0] ?? k.description;
    if (k.type === 'bool') cmd.option(`--${k.flag} [true|false]`, `${name}: ${what}`);
    else cmd.option(`--${k.flag} <value>`, `${name}: ${what}`);
    if (k.secret === true) {
      cmd.option(`--${k.flag}-file <file>`, `read ${name} from a file (- = standard input)`);
    }
  }
  cmd
    .option('--pam-service <name>', 'PAM service (default: sshd with --rdp-only, else common-auth)')
    .option('--pam-install', 'add the PAM block to the service file (else it is printed)')
    .option('--pam-dir <dir>', `PAM folder (default ${DEFAULT_PAM_DIR})`)
    .option('--dry-run', `print the config (secrets as ${SECRET_MASK}) without writing anything`)
    .option('-c, --config-file <file>', 'the agent config file')
    .action(async (opts: InstallOptions) => exitWith(await installCommand(opts, io, deps)));
}
