/**
 * `@securemfa/core/http` — the provider host (fastify). A subpath so that integrations importing
 * only TOTP or crypto never load fastify.
 *
 * @module @securemfa/core/http
 */
export { createProviderHost } from './create-host.js';
export type { ProviderHostOptions, HostLimits, HostExtension, HostContext } from './create-host.js';
export { createRateLimiter } from './rate-limit.js';
export type { RateLimiter, RateLimiterOptions } from './rate-limit.js';
export { securityHeaders } from './security-headers.js';
export { createHostMetrics } from './metrics.js';
export type { HostMetrics } from './metrics.js';
export { describeError } from './error-handler.js';
export { createRuntimeHost } from './runtime-host.js';
export type { RuntimeHost, RuntimeHostOptions } from './runtime-host.js';
export { hostedPage, pagePaths } from './page/register-page.js';
export type { HostedPageOptions } from './page/register-page.js';
export { demoRoutes } from './page/demo-routes.js';
export { sanitiseUiText } from './page/sanitise-ui-text.js';
export { verifyPageResponse } from './page/request-jwt.js';
