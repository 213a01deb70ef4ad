export { RFC4226_SECRET, RFC4226_VECTORS, type Rfc4226Vector } from './rfc4226.js';
export { RFC6238_SECRETS, RFC6238_VECTORS, type Rfc6238Vector } from './rfc6238.js';
export { LEGACY_CIPHER_VECTORS, type LegacyCipherVector } from './legacy-cipher.js';
