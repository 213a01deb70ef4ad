/**
 * `@securemfa/win-otp` — the workstation agent of seed 004: validates codes against the qr-otp
 * host's portal (`POST /api/v1/win/validate`, encrypted and replay-protected messages), falls
 * back to an encrypted, tamper-evident offline cache with its own lockout, and plugs into Linux
 * PAM (pam_exec). The CLI is `securemfa-win-otp` (bin.ts).
 *
 * @module @securemfa/win-otp
 */
export { createWinAgent } from './agent.js';
export type {
  WinAgent,
  WinAgentOptions,
  ValidateMeta,
  ValidateResult,
  SyncResult,
  AgentFailure,
  AgentMode,
  AgentStatus,
  CachedUserStatus,
} from './agent.js';
export { createAgentLogger, EVENT_SOURCE } from './agent-logger.js';
export { reasonText } from './reason-text.js';
export { AGENT_VERSION } from './version.js';
export {
  AGENT_KEYS,
  AGENT_KEY_NAMES,
  AGENT_SECRET_KEYS,
  REQUIRED_KEYS,
  defaultAgentConfig,
} from './config/agent-keys.js';
export type { AgentConfig, AgentKey, AgentKeyName, AgentKeyType } from './config/agent-keys.js';
export { parseAgentConfig, maskAgentConfig } from './config/parse-agent-config.js';
export type { ParsedAgentConfig, ParseAgentConfigOptions } from './config/parse-agent-config.js';
export {
  CONFIG_FILE_NAME,
  CONFIG_FILE_ENV,
  defaultConfigFile,
  resolveConfigFile,
  readAgentConfigFile,
  writeAgentConfigFile,
} from './config/config-file.js';
export type { LoadedAgentConfig } from './config/config-file.js';
export {
  PORTAL_PATH,
  OFFLINE_CACHE_FILE_NAME,
  portalUrl,
  ssprUrl,
  joinAnchor,
  offlineCachePath,
  logFilePath,
} from './config/derived-settings.js';
export { createOfflineCache } from './offline/offline-cache.js';
export type { OfflineCache, OfflineCacheOptions, OfflineEntries } from './offline/offline-cache.js';
export { verifyOffline, offlineExpiry } from './offline/offline-verify.js';
export type {
  OfflineEntry,
  OfflinePolicy,
  OfflineVerdict,
  OfflineFailure,
} from './offline/offline-verify.js';
export { createPortalClient, API_KEY_HEADER } from './portal/portal-client.js';
export type { PortalClient, PortalClientOptions, PortalOutcome } from './portal/portal-client.js';
export { createTunnelAgent } from './portal/proxy-tunnel.js';
export type { TunnelAgentOptions } from './portal/proxy-tunnel.js';
export {
  PAM_BLOCK_BEGIN,
  PAM_BLOCK_END,
  DEFAULT_PAM_DIR,
  defaultPamService,
  defaultAgentCommand,
  pamFileOf,
  renderPamBlock,
  insertPamBlock,
  removePamBlock,
  installPamBlock,
  uninstallPamBlock,
  passwordModuleAfterBlock,
} from './pam/pam-snippet.js';
export { createWinOtpProgram, runWinOtpCli } from './cli/program.js';
export type { WinOtpCliDeps } from './cli/cli-context.js';
