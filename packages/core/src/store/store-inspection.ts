/**
 * What `install` and `verify` ask a store about itself beyond `ping`: the schema version against
 * the scripts this code ships, the AD attributes, and whether the account may write. Backends
 * that can tell implement {@link InspectableStore}; the CLI turns the answer into check lines.
 *
 * @module store
 */
import type { UserStore } from './user-store.js';

/** A store's answer to {@link InspectableStore.inspect}. */
export interface StoreInspection {
  /** SQL stores: the applied migration version and the latest this code ships. */
  schema?: { current: number; latest: number } | undefined;
  /** AD: the schema items (attributes, class, auxiliary link) the directory lacks; empty = all. */
  missingAttributes?: string[] | undefined;
  /**
   * What the account may not do that the provider needs at run time (e.g. `UPDATE on secrets`,
   * `write sMFA-OTP-laststep`); empty = all granted. Undefined when the backend cannot tell.
   */
  missingAccess?: string[] | undefined;
  /** How to grant what is missing (shown as the hint). */
  accessHint?: string | undefined;
}

/** A store that can report {@link StoreInspection}. */
export interface InspectableStore {
  /**
   * Read-only self-check (changes nothing).
   *
   * @throws {StoreError} when the backend cannot be reached
   */
  inspect(signal?: AbortSignal): Promise<StoreInspection>;
}

/**
 * Whether a store implements {@link InspectableStore}.
 *
 * @param store - any store
 * @returns true when it has `inspect()`
 */
export function isInspectable(store: UserStore): store is UserStore & InspectableStore {
  return typeof (store as Partial<InspectableStore>).inspect === 'function';
}
