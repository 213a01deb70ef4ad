// A real QR OTP node for the browser suites: the node of e2e-qr-host.ts (checkConfig →
// createProviderRuntime → createRuntimeHost, on 127.0.0.1 with an ephemeral port — the code
// `serve` runs, in process, on a real socket) with demo users, as `serve --demo`, and the hosted
// page required.
import type { QrOtpConfig } from '@securemfa/core';
import { qrConfig, startQrNode, type QrNode } from './e2e-qr-host.js';

/** A normalised QrOtpConfig from a plain object, failing loudly on any config error. */
export const browserQrConfig = qrConfig;

/** A running node. */
export type BrowserNode = QrNode;

/**
 * Start a node with the hosted page (and /demo for `demoUsers`); fails loudly when the page is
 * off.
 *
 * @param config - normalised config (adapter_api_key of 16+ bytes: the page is on)
 * @param options - config folder, log file, demo users
 * @returns the node (close it in afterAll)
 */
export async function startBrowserNode(
  config: QrOtpConfig,
  options: { configDir: string; logFile?: string; demoUsers?: readonly string[] },
): Promise<BrowserNode> {
  const node = await startQrNode(config, { ...options, logSource: 'e2e-browser' });
  if (!node.host.hostedPage) {
    await node.close();
    throw new Error('the hosted page is off (adapter_api_key too short?)');
  }
  return node;
}
