// A real QR OTP node for the browser suites: checkConfig → createProviderRuntime →
// createRuntimeHost (with demo users, as `serve --demo`), listening on 127.0.0.1 with an
// ephemeral port — the code `serve` runs, in process, on a real socket.
import type { AddressInfo } from 'node:net';
import {
  checkConfig,
  createLogger,
  createProviderRuntime,
  type ProviderRuntime,
  type QrOtpConfig,
} from '@securemfa/core';
import { createRuntimeHost, type RuntimeHost } from '@securemfa/core/http';
import { qrOtpProvider } from '@securemfa/qr-otp';

/**
 * A normalised QrOtpConfig from a plain object, failing loudly on any config error.
 *
 * @param json - the file's keys
 * @returns the config
 */
export function browserQrConfig(json: Record<string, unknown>): QrOtpConfig {
  const result = checkConfig('qr-otp', json);
  if (result.error !== undefined) {
    throw new Error(`test config invalid:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.config;
}

/** A running node. */
export interface BrowserNode {
  runtime: ProviderRuntime<QrOtpConfig>;
  host: RuntimeHost;
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

/**
 * Start a node with the hosted page (and /demo for `demoUsers`).
 *
 * @param config - normalised config (adapter_api_key of 16+ bytes: the page is on)
 * @param options - config folder, log file, demo users
 * @returns the node (close it in afterAll)
 */
export async function startBrowserNode(
  config: QrOtpConfig,
  options: { configDir: string; logFile?: string; demoUsers?: readonly string[] },
): Promise<BrowserNode> {
  const logger = createLogger({
    source: 'e2e-browser',
    console: false,
    file: options.logFile,
    secrets: [config.adapter_api_key, config.data_encryption_passphrase],
  });
  const runtime = await createProviderRuntime({
    definition: qrOtpProvider,
    config,
    configDir: options.configDir,
    logger,
  });
  let host: RuntimeHost;
  try {
    host = await createRuntimeHost(runtime, {
      configDir: options.configDir,
      demoUsers: options.demoUsers,
      processMetrics: false,
    });
    if (!host.hostedPage) throw new Error('the hosted page is off (adapter_api_key too short?)');
    await host.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await runtime.close();
    await logger.close();
    throw err;
  }
  const { port } = host.app.server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    runtime,
    host,
    base: `http://127.0.0.1:${port}`,
    close() {
      closed ??= (async () => {
        await host.app.close();
        await runtime.close();
        await logger.close();
      })();
      return closed;
    },
  };
}
