/**
 * `@securemfa/win-otp` (work in progress: the package is being built).
 *
 * @module @securemfa/win-otp
 */
export {};
