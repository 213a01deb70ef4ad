/**
 * What a provider package contributes: its identity, config file, delivery channel and optional
 * host extensions. Everything else (store, crypto, adapter, host, CLI) is core's.
 *
 * @module adapter
 */
import type { HostExtension } from '../http/create-host.js';
import type { Logger } from '../log/logger.js';
import type { DeliveryChannel } from './delivery-channel.js';

/** The three configurable providers (win-otp is an agent with its own CLI). */
export type ProviderId = 'qr-otp' | 'email-otp' | 'api-otp';

/** Passed to {@link ProviderDefinition.createChannel}. */
export interface ChannelContext<C> {
  config: C;
  logger: Logger;
  clock: () => Date;
}

/** A provider package's contribution. */
export interface ProviderDefinition<C = Record<string, unknown>> {
  id: ProviderId;
  /** CLI name, e.g. `securemfa-qr-otp`. */
  bin: string;
  /** Human name, e.g. `SecureMFA QR OTP provider`. */
  title: string;
  /** Package version (registered in the farm record). */
  version: string;
  /** Config file name as in the manuals, e.g. `SecureMfaOtpProvider.json`. */
  configFileName: string;
  /** Event source name for logs, as in the manuals (`Secure MFA OTP`). */
  eventSource: string;
  /** Build the delivery channel from the loaded config. */
  createChannel(context: ChannelContext<C>): DeliveryChannel | Promise<DeliveryChannel>;
  /**
   * TOTP parameters the verifier must use when the provider decides them (the QR provider's
   * otpauth advanced parameters); default: totp_validity_seconds, 6 digits, SHA1.
   */
  totpParameters?(config: C): {
    step?: number | undefined;
    digits?: 6 | 7 | 8 | undefined;
    algorithm?: 'SHA1' | 'SHA256' | 'SHA512' | undefined;
  };
  /**
   * Origins the hosted page must load images from (an external QR service the operator
   * configured); default none.
   */
  imageOrigins?(config: C): string[];
  /** Extra host routes (e.g. the win-otp validation portal on the QR host). */
  hostExtensions?(context: ChannelContext<C>): HostExtension[];
  /** Users created by `serve --demo`. */
  demoUsers?: readonly string[];
}
