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
