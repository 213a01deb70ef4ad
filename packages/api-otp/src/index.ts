/**
 * `@securemfa/api-otp` (work in progress: the package is being built).
 *
 * @module @securemfa/api-otp
 */
export {};
