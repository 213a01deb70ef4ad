/**
 * Test vectors: the single source for every suite (STYLE.md B.7). Each file says where its values
 * come from (an RFC's text, or the exact command of an independent tool).
 *
 * @module testkit/vectors
 */
export {
  RFC4226_SECRET,
  RFC4226_SECRET_ASCII,
  RFC4226_VECTORS,
  type Rfc4226Vector,
} from './rfc4226.js';
export {
  RFC6238_DIGITS,
  RFC6238_SECRETS,
  RFC6238_SECRETS_ASCII,
  RFC6238_STEP_SECONDS,
  RFC6238_VECTORS,
  type Rfc6238Algorithm,
  type Rfc6238Vector,
} from './rfc6238.js';
export { LEGACY_CIPHER_VECTORS, type LegacyCipherVector } from './legacy-cipher.js';
