/**
 * The user directory: attributes of a user (mail, mobile, any AD attribute named by
 * api_customparams_*) from AD/LDAP when configured, else from the store.
 *
 * @module directory
 */

/** Reads user attributes. Missing attributes are simply absent from the result. */
export interface Directory {
  readonly kind: 'store' | 'ldap';
  /**
   * The named attributes of a user (attribute names as in AD, e.g. `mail`, `mobile`,
   * `msDS-cloudExtensionAttribute10`; matched case-insensitively, returned under the requested
   * spelling). An unknown user yields `{}`.
   *
   * @throws {DirectoryError} when the directory cannot be reached
   */
  attributes(
    upn: string,
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, string>>;
  close(): Promise<void>;
}
