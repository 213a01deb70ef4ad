/**
 * `serve [-c FILE] [--demo] [--port N]`: run the provider host until SIGINT/SIGTERM, then close
 * gracefully (in-flight requests finish, the store is closed).
 *
 * `--demo` needs no config file: built-in defaults (embedded SQLite store in the working
 * directory), a random adapter key for this run, and `/demo`, which signs a hosted-page request
 * for a demo user so that a person can try the whole flow in a browser.
 *
 * @module cli
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import type { ProviderDefinition } from '../../adapter/provider-definition.js';
import type { ProviderConfig } from '../../config/types.js';
import { MIN_PAGE_JWT_KEY_BYTES } from '../../crypto/page-jwt.js';
import { SecureMfaError } from '../../errors.js';
import { EventId } from '../../log/events.js';
import { createRuntimeHost } from '../../http/runtime-host.js';
import { createProviderRuntime } from '../../runtime/provider-runtime.js';
import type { CliIo } from '../io.js';
import { commandLogger, loadForCommand } from '../load-for-command.js';
import { warn } from '../output.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError(`must be an integer 0–65535, got "${value}"`);
  }
  return port;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Add `serve`.
 *
 * @param program - the provider program
 * @param definition - the provider
 * @param io - CLI I/O (waitForStop ends the server)
 */
export function addServeCommand(
  program: Command,
  definition: ProviderDefinition<ProviderConfig>,
  io: CliIo,
): void {
  program
    .command('serve')
    .description('run the provider host: adapter API, hosted MFA page, health and metrics')
    .option(
      '-c, --config <file>',
      `configuration file (default: ./${definition.configFileName} or $SECUREMFA_CONFIG)`,
    )
    .option('--demo', 'add /demo with demo users; works without a config file')
    .option(
      '--port <n>',
      'listen on this port instead of listen_port (0 = any free port)',
      parsePort,
    )
    .action(async (opts: { config?: string; demo?: boolean; port?: number }) => {
      const port = opts.port;
      const loaded = await loadForCommand(definition as never, io, opts.config);
      let config = loaded.config as ProviderConfig;
      const demo = opts.demo === true;
      if (demo && Buffer.byteLength(config.adapter_api_key, 'utf8') < MIN_PAGE_JWT_KEY_BYTES) {
        // The demo signs its own page requests: a key for this run only.
        config = { ...config, adapter_api_key: randomBytes(32).toString('base64url') };
        warn(io, 'demo: adapter_api_key is not set; using a random key for this run');
      }
      const logger = commandLogger(definition, config, true);
      let runtime;
      try {
        runtime = await createProviderRuntime({
          definition,
          config,
          configDir: loaded.configDir,
          logger,
        });
      } catch (err) {
        logger.event(EventId.ConfigFailure, 'provider could not start', {
          error: err instanceof Error ? err.message : String(err),
        });
        await logger.close();
        throw err;
      }
      // One list for the host and the console line, so the users named are the users offered.
      const demoUsers = demo ? (definition.demoUsers ?? ['demo@example.com']) : undefined;
      const host = await createRuntimeHost(runtime, {
        configDir: loaded.configDir,
        configFile: loaded.file,
        port,
        demoUsers,
      }).catch(async (err: unknown) => {
        await runtime.close();
        await logger.close();
        throw err;
      });
      // Listen for SIGINT/SIGTERM before announcing "listening on": a supervisor (or a test) that
      // signals as soon as it reads that line must get the graceful stop, not the default kill.
      const stopRequested = io.waitForStop();
      let address: string;
      try {
        address = await host.app.listen({ host: host.host, port: host.port });
      } catch (err) {
        await host.app.close();
        await runtime.close();
        await logger.close();
        const code = (err as NodeJS.ErrnoException).code;
        throw new SecureMfaError(
          `cannot listen on ${host.host}:${host.port} (${code ?? (err as Error).message})`,
          {
            hint:
              code === 'EADDRINUSE'
                ? 'another process uses this port: stop it, or set listen_port / pass --port'
                : 'check listen_host and listen_port',
            cause: err,
          },
        );
      }
      const bound = host.app.server.address();
      const boundPort = typeof bound === 'object' && bound !== null ? bound.port : host.port;
      const url = `${host.protocol}://${urlHost(host.host)}:${boundPort}`;
      logger.event(EventId.ConfigSuccess, `${definition.title} listening on ${address}`, {
        store: runtime.store.kind,
      });
      io.out(`${definition.title} ${definition.version} listening on ${url}\n`);
      io.out(
        `  store: ${runtime.store.kind}${loaded.file === undefined ? ' (built-in defaults, no config file)' : ` (config ${loaded.file})`}\n`,
      );
      if (demo && host.hostedPage) {
        io.out(`  demo:  open ${url}/demo in a browser (users: ${(demoUsers ?? []).join(', ')})\n`);
      }
      io.out('  stop:  Ctrl+C\n');
      const signal = await stopRequested;
      io.err(`${signal}: stopping\n`);
      await host.app.close();
      await runtime.close();
      logger.info('stopped', { signal });
      await logger.close();
    });
}
