/**
 * The key index that lets the AD store page through enrolled users in lower-cased UPN order
 * without reading the whole directory for every page.
 *
 * Why an index: `list({ after, limit })` promises the order of the SQL stores (lower-cased UPN,
 * code-unit order), which no LDAP server can produce — server-side sorting and `>=` filters use
 * the directory's collation (AD ignores hyphens in word sort, Samba folds to upper case), so a
 * keyset `(userPrincipalName>=after)` could skip users. Sorting on the client needs every key, so
 * the store keeps them: one scan of the enrolled users reads only `userPrincipalName` and the DN;
 * each page then reads the full records of just the users it returns.
 *
 * How it stays current — the technique Microsoft documents for polling a DC for changes
 * ("Polling for Changes Using uSNChanged"): every change a DC applies, local or replicated, gets
 * that DC's next update sequence number in the entry's `uSNChanged`. The index remembers the DC
 * (`dsServiceName` + `invocationId`) and the `highestCommittedUSN` it read before its last look;
 * the next `list` asks only for enrolled users with `uSNChanged` above it and merges them. Users
 * un-enrolled, renamed or moved since are found out when their page reads them (the record is
 * gone) and dropped. Another DC, or a restored one (new invocationId), makes the store scan again.
 *
 * So a full listing of N users reads each entry a bounded number of times — once for its key,
 * once for its record, once more for each change while the listing runs — instead of N times.
 *
 * This file is the pure part (no LDAP): the sorted keys and their upkeep.
 *
 * @see https://learn.microsoft.com/windows/win32/ad/polling-for-changes-using-usnchanged
 * @module store
 */

/** One enrolled user in the index. */
export interface IndexedUser {
  /** Lower-cased, trimmed UPN (the list order). */
  key: string;
  /** The entry's objectGUID (hex): it survives renames and moves, and matches exactly. */
  id: string;
}

/** The directory state an index is valid for. */
export interface DirectoryWatermark {
  /** Which DC (dsServiceName and invocationId): USNs of different DCs do not compare. */
  dc: string;
  /** Highest committed USN of that DC when the index was last brought up to date. */
  usn: bigint;
}

const compare = (a: IndexedUser, b: IndexedUser): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * The sorted keys of the enrolled users under one base DN and prefix.
 *
 * @example
 * ```ts
 * const index = new AdKeyIndex({ dc: 'CN=NTDS Settings,…|…', usn: 4105n }, Date.now());
 * index.upsert('98c5b3…', 'alice@contoso.com');
 * index.next(undefined, 500); // [{ key: 'alice@contoso.com', id: '98c5b3…' }]
 * ```
 */
export class AdKeyIndex {
  private readonly sorted: IndexedUser[] = [];
  private readonly byId = new Map<string, string>();
  /** When it was built (ms since the epoch). */
  readonly built: number;
  /** When it was last used (ms since the epoch). */
  used: number;
  watermark: DirectoryWatermark;

  /**
   * @param watermark - the DC and USN read just before the scan that fills the index
   * @param now - the current time, ms since the epoch
   */
  constructor(watermark: DirectoryWatermark, now: number) {
    this.watermark = watermark;
    this.built = now;
    this.used = now;
  }

  /** Number of users indexed. */
  get size(): number {
    return this.sorted.length;
  }

  /** First position whose entry sorts at or after `probe`. */
  private lowerBound(probe: IndexedUser): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.sorted[mid]!, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Add a user, or move it to its new key.
   *
   * @param id - the entry's objectGUID (hex)
   * @param key - its lower-cased UPN
   */
  upsert(id: string, key: string): void {
    const old = this.byId.get(id);
    if (old === key) return;
    if (old !== undefined) this.remove(id);
    const entry = { key, id };
    this.sorted.splice(this.lowerBound(entry), 0, entry);
    this.byId.set(id, key);
  }

  /**
   * Forget a user (un-enrolled, deleted or moved out of the base DN).
   *
   * @param id - the entry's objectGUID (hex)
   */
  remove(id: string): void {
    const key = this.byId.get(id);
    if (key === undefined) return;
    const i = this.lowerBound({ key, id });
    if (this.sorted[i]?.id === id) this.sorted.splice(i, 1);
    this.byId.delete(id);
  }

  /**
   * The next users in key order.
   *
   * @param after - only keys greater than this (lower-cased), or from the start
   * @param count - at most this many
   * @returns copies of the index entries
   */
  next(after: string | undefined, count: number): IndexedUser[] {
    let i = 0;
    if (after !== undefined) {
      // Past every entry with key === after (the id tie-break sorts them together).
      i = this.lowerBound({ key: after, id: '' });
      while (i < this.sorted.length && this.sorted[i]!.key === after) i += 1;
    }
    return this.sorted.slice(i, i + Math.max(0, count)).map((e) => ({ ...e }));
  }
}

/**
 * The indexes of one store, one per prefix, at most `max` of them; the least recently used goes
 * first, any unused for `idleMs` is dropped, and any older than `maxAgeMs` is rebuilt (a fresh
 * scan now and then, whatever the change tracking may have missed).
 */
export class AdKeyIndexes {
  private readonly indexes = new Map<string, AdKeyIndex>();

  /**
   * @param max - most indexes kept (each holds every matching key: bound the memory)
   * @param idleMs - an index unused this long is dropped (and rebuilt when needed)
   * @param maxAgeMs - an index built this long ago is dropped
   */
  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The index of a prefix, if one is kept for that DC, marking it used.
   *
   * @param prefix - the lower-cased prefix ('' for all users)
   * @param dc - the DC the caller is connected to
   * @param now - ms since the epoch
   */
  get(prefix: string, dc: string, now: number): AdKeyIndex | undefined {
    for (const [p, index] of this.indexes) {
      if (now - index.used > this.idleMs || now - index.built > this.maxAgeMs)
        this.indexes.delete(p);
    }
    const index = this.indexes.get(prefix);
    if (index === undefined) return undefined;
    if (index.watermark.dc !== dc) {
      this.indexes.delete(prefix);
      return undefined;
    }
    index.used = now;
    // Most recently used last, so the first is the one to evict.
    this.indexes.delete(prefix);
    this.indexes.set(prefix, index);
    return index;
  }

  /**
   * Keep an index (replacing the prefix's old one, evicting the least recently used).
   *
   * @param prefix - the lower-cased prefix
   * @param index - the index
   */
  set(prefix: string, index: AdKeyIndex): void {
    this.indexes.delete(prefix);
    this.indexes.set(prefix, index);
    while (this.indexes.size > this.max) {
      const oldest = this.indexes.keys().next().value as string;
      this.indexes.delete(oldest);
    }
  }

  /** Number of indexes kept. */
  get size(): number {
    return this.indexes.size;
  }

  /** Drop every index. */
  clear(): void {
    this.indexes.clear();
  }
}
