/**
 * The config module: load and validate the provider JSON files exactly as the vendor manuals
 * write them. The package barrel (`src/index.ts`) re-exports the public names from here.
 *
 * @module config
 */
export { loadConfig, checkConfigFile, resolveConfigFile, MAX_CONFIG_BYTES } from './load-config.js';
export type {
  LoadConfigOptions,
  ResolvedConfigFile,
  CheckConfigFileResult,
} from './load-config.js';
export { checkConfig, checkConfigText, parseConfig, parseConfigText } from './parse-config.js';
export type { CheckConfigOptions, CheckConfigResult } from './parse-config.js';
export { maskSecrets, isSecretKey, SECRET_MASK } from './mask.js';
export { configFingerprint, NODE_LOCAL_KEYS } from './fingerprint.js';
export { sampleConfig } from './sample.js';
export type { SampleConfigOptions } from './sample.js';
export {
  configSchemas,
  providerKeys,
  CONFIG_FILE_NAMES,
  PROVIDER_IDS,
  SECRET_KEYS,
} from './schema/config-schemas.js';
export type { KeyInfo } from './schema/config-schemas.js';
export type { KeyMeta } from './schema/key.js';
export { AUTH_MODES, DEFAULT_LEGACY_SALT } from './schema/common.js';
export { SAMPLE_SECRETS } from './rules.js';
export { checkQrImageEndpoint, QR_IMAGE_ENDPOINT_HINT } from './qr-image-endpoint.js';
export type { QrImageEndpointCheck, QrImageEndpointProblem } from './qr-image-endpoint.js';
export {
  configKeyTable,
  configJsonSchema,
  renderConfigurationDoc,
  generatedConfigFiles,
} from './docs.js';
export type {
  ProviderId,
  AuthMode,
  CommonConfig,
  EmailOtpConfig,
  ApiOtpConfig,
  QrOtpConfig,
  ConfigById,
  ProviderConfig,
} from './types.js';
