/**
 * `@securemfa/support-tools` (work in progress: the package is being built).
 *
 * @module @securemfa/support-tools
 */
export {};
