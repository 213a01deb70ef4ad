/**
 * `@securemfa/testkit` — shared test code. TypeScript source consumed by ts-jest; a devDependency
 * only, never imported from any `src/`.
 */
export * from './vectors/index.js';
export {
  describeUserStoreContract,
  type StoreUnderTest,
  type ContractOptions,
} from './store-contract.js';
export { uniqueName, uniqueSuffix } from './servers/unique-name.js';
export {
  adminClient,
  asAdmin,
  createAdUser,
  createOu,
  deleteAdUsers,
  deleteOu,
  readRaw,
  releaseSambaDc,
  startSambaDc,
  SAMBA_DC_START_TIMEOUT_MS,
  type AdTestUser,
  type AdTestUserOptions,
  type SambaDc,
} from './servers/samba-dc.js';
export {
  adminQuery,
  createDatabase,
  databaseUrl,
  dropDatabases,
  releasePostgres,
  startPostgres,
  POSTGRES_START_TIMEOUT_MS,
  type PgServer,
} from './servers/postgres.js';
export {
  killNodeScripts,
  nodeScriptEnv,
  runNodeScript,
  spawnNodeScript,
  type NodeScriptChild,
  type NodeScriptOptions,
  type NodeScriptRun,
  type NodeScriptWatcher,
} from './processes/node-script.js';
export {
  closedPort,
  closeServer,
  isListening,
  listenLoopback,
  trackSockets,
} from './servers/loopback.js';
export { startSilentServer, type SilentServer } from './servers/silent-server.js';
export {
  startTcpForwarder,
  type ForwarderMode,
  type TcpForwarder,
} from './servers/tcp-forwarder.js';
