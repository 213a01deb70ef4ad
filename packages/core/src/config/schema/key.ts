/**
 * One configuration key = a value type from `coerce.ts` + its metadata in zod `.meta()`:
 * description, default, whether it is secret, which manuals document it, its aliases. That one
 * definition drives parsing, masking, `config init`, the key tables and the JSON Schemas, so
 * they cannot drift apart (STYLE example 10).
 *
 * @module config
 */
import type { z } from 'zod';
import { valueTypes } from '../coerce.js';

/** Metadata of a configuration key, stored with `.meta()` on its schema. */
export interface KeyMeta {
  /** What the key does (one or two sentences; rendered in docs/configuration.md). */
  description: string;
  /** Value when the key is absent, in its parsed form. */
  default: unknown;
  /** Never printed or logged; shown as `********` (`maskSecrets`). */
  secret?: boolean;
  /** Manuals that document the key (`"000 001 002 003"`); absent for keys this project adds. */
  seeds?: string;
  /** Other spellings the manuals use for the same key. */
  aliases?: readonly string[];
  /** Phrase completing "expected …" (from the value type). */
  expects: string;
}

/** What {@link key} takes: the metadata without `expects` (derived from the value type). */
export type KeyOptions<T> = Omit<KeyMeta, 'expects' | 'default'> & { default: T };

/**
 * Define a key: the value type with its default and metadata.
 *
 * @param type - a value type from `coerce.ts`
 * @param options - description, default, secret, seeds, aliases
 * @returns the schema of the key (absent → default)
 * @throws {TypeError} when `type` is not a registered value type (a programming error)
 * @example
 * ```ts
 * const smtp_port = key(intish(1, 65535), { description: 'SMTP port.', default: 25, seeds: '001 002' });
 * ```
 */
export function key<T extends z.ZodType>(type: T, options: KeyOptions<z.output<T>>) {
  const info = valueTypes.get(type);
  if (info === undefined) throw new TypeError('key(): "type" must be a value type from coerce.ts');
  const meta: KeyMeta = { ...options, expects: info.expects };
  const def = options.default;
  // A function default: zod hands out the same object otherwise, and lists are arrays.
  return type.default(() => structuredClone(def) as never).meta({ ...meta });
}

/**
 * The metadata of a key schema made by {@link key}.
 *
 * @param schema - a key schema
 * @returns its metadata
 * @throws {TypeError} when the schema was not made by {@link key}
 */
export function keyMeta(schema: z.ZodType): KeyMeta {
  const meta = schema.meta() as Partial<KeyMeta> | undefined;
  if (meta?.description === undefined || meta.expects === undefined) {
    throw new TypeError('keyMeta(): the schema was not made by key()');
  }
  return meta as KeyMeta;
}
