/**
 * Classify LDAP client errors (ldapts result codes, socket and TLS errors) into what an operator
 * must do about them. The AD store wraps the result in a `StoreError`, the LDAP directory in a
 * `DirectoryError`; foreign errors never escape unwrapped (STYLE B.5).
 *
 * @see RFC 4511 §4.1.9 and Appendix A (LDAP result codes)
 * @module store
 */
import { ResultCodeError } from 'ldapts';
import { DirectoryError, SecureMfaError, StoreError } from '../errors.js';
import { tagStoreProblem, type StoreProblem } from './store-problem.js';

/** LDAP result codes this code names (RFC 4511 Appendix A). */
export const LDAP_RESULT = {
  operationsError: 1,
  protocolError: 2,
  timeLimitExceeded: 3,
  strongerAuthRequired: 8,
  confidentialityRequired: 13,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  objectClassViolation: 65,
  entryAlreadyExists: 68,
} as const;

/** What went wrong, for the error code and hint of the wrapping error. */
export type LdapProblem =
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'bind'
  | 'access'
  | 'schema'
  | 'strong-auth'
  | 'not-found'
  | 'other';

/** A classified LDAP failure. */
export interface LdapFailure {
  problem: LdapProblem;
  /** One line for the operator: what failed, against which server. Never a secret. */
  message: string;
  /** How to fix it. */
  hint: string;
  /** The LDAP result code, when the server answered with one. */
  resultCode?: number;
}

/** The LDAP result code of an error, when it is a server answer. */
export function ldapResultCode(err: unknown): number | undefined {
  if (err instanceof ResultCodeError) return err.code;
  return undefined;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/**
 * Classify an error thrown by an LDAP operation.
 *
 * @param err - what ldapts (or the socket) threw
 * @param context - `server` (host:port, shown in messages), `operation` (e.g. "bind", "modify
 *   sMFA-OTP-* of alice@…") and the words the hints use for the bind settings
 * @returns the classification with an operator message and hint
 */
export function classifyLdapError(
  err: unknown,
  context: { server: string; operation: string },
): LdapFailure {
  const { server, operation } = context;
  const code = ldapResultCode(err);
  const detail = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
  if (code !== undefined) {
    const base = { resultCode: code };
    switch (code) {
      case LDAP_RESULT.invalidCredentials:
        return {
          ...base,
          problem: 'bind',
          message: `LDAP bind to ${server} failed: invalid credentials (49)`,
          hint: 'bind failed: check ldap_bind_dn / ldap_bind_password (a DN, or user@domain; AD rejects a bare account name)',
        };
      case LDAP_RESULT.insufficientAccessRights:
        return {
          ...base,
          problem: 'access',
          message: `${operation} on ${server}: insufficient access rights (50)`,
          hint: 'no write access: grant the bind account read/write on the sMFA-OTP-* attributes of user objects (and control access on the confidential sMFA-OTP-secret), and create-child on CN=SecureMFA,CN=Program Data; see ad-schema/README.md',
        };
      case LDAP_RESULT.undefinedAttributeType:
      case LDAP_RESULT.objectClassViolation:
        return {
          ...base,
          problem: 'schema',
          message: `${operation} on ${server}: the directory schema lacks the SecureMFA attributes (${code})`,
          hint: 'run the ad-schema extension (securemfa-<provider> install on the main node, or ad-schema/README.md) as a member of Schema Admins',
        };
      case LDAP_RESULT.strongerAuthRequired:
      case LDAP_RESULT.confidentialityRequired:
        return {
          ...base,
          problem: 'strong-auth',
          message: `${operation} on ${server}: the server requires an encrypted connection for simple binds (${code})`,
          hint: 'use ldaps:// or StartTLS with ldap_tls_ca_file (domain controllers refuse simple binds over plain LDAP)',
        };
      case LDAP_RESULT.noSuchObject:
        return {
          ...base,
          problem: 'not-found',
          message: `${operation} on ${server}: no such object (32)`,
          hint: 'check ldap_base_dn (it must exist, e.g. DC=contoso,DC=com)',
        };
      case LDAP_RESULT.busy:
      case LDAP_RESULT.unavailable:
        return {
          ...base,
          problem: 'unreachable',
          message: `${operation} on ${server}: server busy or unavailable (${code})`,
          hint: 'retry later, or point ldap_url at another domain controller',
        };
      case LDAP_RESULT.timeLimitExceeded:
        return {
          ...base,
          problem: 'timeout',
          message: `${operation} on ${server}: server time limit exceeded (3)`,
          hint: 'the domain controller is overloaded or the search too broad; narrow ldap_base_dn',
        };
      default:
        return {
          ...base,
          problem: 'other',
          message: `${operation} on ${server} failed: LDAP result ${code} (${detail})`,
          hint: 'see the LDAP result code (RFC 4511 Appendix A) and the domain controller log',
        };
    }
  }
  const errno = (err as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && TLS_CODES.has(errno)) {
    return {
      problem: 'tls',
      message: `TLS to ${server} failed: ${errno}`,
      hint: 'set ldap_tls_ca_file to the CA that issued the domain controller certificate, and the TLS server name to a name in that certificate when ldap_url uses an IP address',
    };
  }
  if (
    typeof errno === 'string' &&
    [
      'ECONNREFUSED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ECONNRESET',
      'EPIPE',
    ].includes(errno)
  ) {
    return {
      problem: 'unreachable',
      message: `cannot reach LDAP server ${server}: ${errno}`,
      hint: 'check ldap_url (host and port 389/636), DNS, and that the domain controller is up and reachable from this host',
    };
  }
  if (/tim(ed|e) ?out/i.test(detail)) {
    return {
      problem: 'timeout',
      message: `${operation} on ${server} timed out`,
      hint: 'the domain controller did not answer in time: check ldap_url, firewalls, and the LDAP timeout setting',
    };
  }
  if (/certificate|self[- ]signed|tls|ssl/i.test(detail)) {
    return {
      problem: 'tls',
      message: `TLS to ${server} failed: ${detail}`,
      hint: 'set ldap_tls_ca_file to the CA that issued the domain controller certificate, and the TLS server name to a name in that certificate',
    };
  }
  if (/socket|connection|closed|ECONN/i.test(detail)) {
    return {
      problem: 'unreachable',
      message: `connection to LDAP server ${server} lost: ${detail}`,
      hint: 'check that the domain controller is up and reachable; the connection is re-established on the next request',
    };
  }
  return {
    problem: 'other',
    message: `${operation} on ${server} failed: ${detail}`,
    hint: 'see the cause in the debug log',
  };
}

/**
 * Wrap an LDAP error as a `StoreError` (SecureMFA errors pass through unchanged):
 * schema problems → `ERR_STORE_SCHEMA`, everything else → `ERR_STORE_UNAVAILABLE`, with the
 * classification's message and hint and the original error as `cause`.
 *
 * @param err - what was thrown
 * @param context - server (host:port) and operation, for the message
 * @returns the error to throw
 */
export function toStoreError(
  err: unknown,
  context: { server: string; operation: string },
): SecureMfaError {
  if (err instanceof SecureMfaError) return err;
  const failure = classifyLdapError(err, context);
  const code = failure.problem === 'schema' ? 'ERR_STORE_SCHEMA' : 'ERR_STORE_UNAVAILABLE';
  return tagStoreProblem(
    new StoreError(code, failure.message, { hint: failure.hint, cause: err }),
    STORE_PROBLEM_OF[failure.problem],
  );
}

/** The store check problem of each LDAP problem. */
const STORE_PROBLEM_OF: Readonly<Record<LdapProblem, StoreProblem>> = {
  unreachable: 'unreachable',
  timeout: 'timeout',
  tls: 'tls',
  bind: 'auth_failed',
  access: 'no_write_access',
  schema: 'ad_attributes_missing',
  'strong-auth': 'tls',
  'not-found': 'other',
  other: 'other',
};

/**
 * Wrap an LDAP error as a `DirectoryError` (SecureMFA errors pass through unchanged).
 *
 * @param err - what was thrown
 * @param context - server (host:port) and operation, for the message
 * @returns the error to throw
 */
export function toDirectoryError(
  err: unknown,
  context: { server: string; operation: string },
): SecureMfaError {
  if (err instanceof SecureMfaError) return err;
  const failure = classifyLdapError(err, context);
  const hint =
    failure.problem === 'access'
      ? 'the bind account may not read this attribute: grant it read access on user objects'
      : failure.hint;
  return new DirectoryError(failure.message, { hint, cause: err });
}
