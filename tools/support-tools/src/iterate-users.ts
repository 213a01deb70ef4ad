/**
 * Walk every record of a store in lower-cased UPN order, a page at a time (keyset pagination
 * through `UserStore.list({ after })`), so a store of any size is read in bounded memory.
 *
 * @module iterate-users
 */
import { upnKey, type UserRecord, type UserStore } from '@securemfa/core';

/** Records fetched per `list` call. */
export const PAGE_SIZE = 500;
/** Upper bound on pages (500 million records): a store that never ends its listing is a bug. */
const MAX_PAGES = 1_000_000;

/**
 * Every record, page by page.
 *
 * @param store - the store
 * @param pageSize - records per page (default {@link PAGE_SIZE})
 * @yields each record once
 * @example
 * ```ts
 * for await (const record of allUsers(store)) console.log(record.upn);
 * ```
 */
export async function* allUsers(
  store: UserStore,
  pageSize: number = PAGE_SIZE,
): AsyncGenerator<UserRecord> {
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const records = await store.list(
      after === undefined ? { limit: pageSize } : { limit: pageSize, after },
    );
    for (const r of records) yield r;
    if (records.length < pageSize) return;
    const next = upnKey(records[records.length - 1]!.upn);
    // A store that returns the same page again would loop forever.
    if (after !== undefined && next <= after) {
      throw new Error(`the store's list() did not advance past ${after}`);
    }
    after = next;
  }
}
