/**
 * `@securemfa/email-otp` (work in progress: the package is being built).
 *
 * @module @securemfa/email-otp
 */
export {};
