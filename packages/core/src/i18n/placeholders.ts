/**
 * `{name}` placeholders: the one syntax every string in the catalogue uses, parsed the same way
 * by the type system (so `t()` knows which params a key needs) and at run time.
 *
 * @module i18n
 */

/**
 * The names of the `{name}` placeholders in a string literal type, as a union.
 *
 * @example
 * ```ts
 * type P = PlaceholdersIn<'We sent a code to {destination}. It is valid until {time}.'>;
 * // 'destination' | 'time'
 * ```
 */
export type PlaceholdersIn<S> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PlaceholdersIn<Rest>
  : never;

/** A placeholder: `{` + an ASCII identifier + `}`. Global, so use with `replace`/`matchAll` only. */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * The placeholder names in a template, in order of first appearance, without duplicates.
 *
 * @param template - a catalogue string
 * @returns the names, e.g. `['destination', 'time']`
 * @example
 * ```ts
 * placeholdersOf('We sent a code to {destination}. It is valid until {time}.');
 * // ['destination', 'time']
 * ```
 */
export function placeholdersOf(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? ''))];
}
