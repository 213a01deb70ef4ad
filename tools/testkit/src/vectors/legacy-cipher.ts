/**
 * Legacy-format ciphertexts — the originals' documented scheme (seeds 000–004 "Encryption":
 * "AES 256-bit, CBC, salted with 16 bytes string, zero padding and 4 key iterations"; the .NET
 * `Rfc2898DeriveBytes` = PBKDF2-HMAC-SHA1 4 iterations, key = first 32 bytes, IV = next 16 bytes
 * of the same stream), stored as base64 — produced INDEPENDENTLY of our code with the openssl 3.0
 * CLI. The exact commands are recorded with each vector (`commands`, run in bash with a UTF-8
 * locale); the derived key and IV were also cross-checked with Python's
 * `hashlib.pbkdf2_hmac('sha1', pass.encode(), salt.encode(), 4, 48)`, and every ciphertext was
 * decrypted back with `openssl enc -d -nopad`.
 *
 * Why not `openssl enc -pbkdf2 -iter 4 -md sha1 -S <hex> …`: openssl enc keeps only 8 salt
 * bytes (`hex string is too long, ignoring excess`), so it cannot reproduce a 16-byte salt. The
 * key and IV come from `openssl kdf … PBKDF2` (48 bytes = key ‖ IV) instead, and the plaintext is
 * zero-padded by hand (`head -c <n> /dev/zero`; no block is added when the length is already a
 * multiple of 16, as .NET `PaddingMode.Zeros`).
 *
 * The two vectors with `isSecret: false` were encrypted with the right key but their plaintext is
 * not an upper-case base32 secret: legacy has no MAC, so such a result must be reported as
 * `ERR_CRYPTO_TAMPERED`, never returned.
 */

/** One legacy-format vector. */
export interface LegacyCipherVector {
  /** What the vector exercises. */
  name: string;
  /** data_encryption_passphrase (UTF-8). */
  passphrase: string;
  /** data_encryption_legacy_salt: 16 characters (ASCII, so 16 bytes). */
  salt: string;
  /** The text that was encrypted (before zero padding). */
  plain: string;
  /** True when `plain` is a base32 secret that decryption must return. */
  isSecret: boolean;
  /** Intermediate: the AES-256 key, bytes 0–31 of the PBKDF2 output (hex). */
  keyHex: string;
  /** Intermediate: the CBC IV, bytes 32–47 of the PBKDF2 output (hex). */
  ivHex: string;
  /** How many 0x00 bytes were appended. */
  padBytes: number;
  /** The stored form: base64 of the ciphertext. */
  stored: string;
  /** The commands that produced `keyHex ‖ ivHex` and `stored`. */
  commands: readonly string[];
}

/** Legacy vectors made with the openssl CLI (see the module comment). */
export const LEGACY_CIPHER_VECTORS: readonly LegacyCipherVector[] = [
  {
    name: '80-bit secret, one full block, no padding (seed sample passphrase, default salt)',
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain: 'JBSWY3DPEHPK3PXP',
    isSecret: true,
    keyHex: 'F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423',
    ivHex: '1859890CA65DD9E3B002143F1DD11520',
    padBytes: 0,
    stored: 'mZsg31ZWM9qUX93DiJwVyA==',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:d9GhT=7=Ox8-+LaZ' -kdfopt 'salt:sMFA-legacy-salt' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'JBSWY3DPEHPK3PXP' > p.bin && head -c 0 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423 -iv 1859890CA65DD9E3B002143F1DD11520 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: '160-bit secret, two full blocks',
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    isSecret: true,
    keyHex: 'F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423',
    ivHex: '1859890CA65DD9E3B002143F1DD11520',
    padBytes: 0,
    stored: 'oS+gDtEsDJ3ry62gTQzUaQkqLfU8eKECA3tmL85eXYw=',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:d9GhT=7=Ox8-+LaZ' -kdfopt 'salt:sMFA-legacy-salt' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' > p.bin && head -c 0 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423 -iv 1859890CA65DD9E3B002143F1DD11520 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: '128-bit secret (26 characters): 6 bytes of zero padding',
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain: 'MFRGGZDFMZTWQ2LKNNWG23TPOA',
    isSecret: true,
    keyHex: 'F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423',
    ivHex: '1859890CA65DD9E3B002143F1DD11520',
    padBytes: 6,
    stored: 'aVQNWLcjd7ewl8oMmTzmGJrSHV+oXjd0vZDabJ6+qvM=',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:d9GhT=7=Ox8-+LaZ' -kdfopt 'salt:sMFA-legacy-salt' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'MFRGGZDFMZTWQ2LKNNWG23TPOA' > p.bin && head -c 6 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423 -iv 1859890CA65DD9E3B002143F1DD11520 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: '512-bit secret (103 characters): 9 bytes of zero padding, 7 blocks',
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain:
      'AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPSAIJCEMSCKJRHFAUSUKZMFUXC6MBRGIZTINJWG44DSOR3HQ6T4PY',
    isSecret: true,
    keyHex: 'F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423',
    ivHex: '1859890CA65DD9E3B002143F1DD11520',
    padBytes: 9,
    stored:
      'yaKXpdPN6a4qC+2R11iusextuF6qcjwnR5OFHXDsZ7brHgyOqBAwMsNFGp/+JUlE8rZ6hbooJPyl7UT2hQtCekij5HMkkk6QIYSUcG4f4lVpRUu+VCs7JdWZgLpuLKEfiT0Dyiu3Ccki88ohtiErVw==',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:d9GhT=7=Ox8-+LaZ' -kdfopt 'salt:sMFA-legacy-salt' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPSAIJCEMSCKJRHFAUSUKZMFUXC6MBRGIZTINJWG44DSOR3HQ6T4PY' > p.bin && head -c 9 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423 -iv 1859890CA65DD9E3B002143F1DD11520 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: 'another passphrase and salt',
    passphrase: 'another passphrase',
    salt: '0123456789abcdef',
    plain: 'KRUGS4ZANFZSAYJAORSXG5BAMFRGGZDF',
    isSecret: true,
    keyHex: 'F89560A9C849DEF92711CA91F8E00B072EC04456BD157B908571BE9D5F7059B3',
    ivHex: 'C5218B4DE9365DACD1156C07E5F80B29',
    padBytes: 0,
    stored: 'miSfghQHCjgLKwLyQmUx3u568nzbq0KAhYf4JO6VaIw=',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:another passphrase' -kdfopt 'salt:0123456789abcdef' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'KRUGS4ZANFZSAYJAORSXG5BAMFRGGZDF' > p.bin && head -c 0 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F89560A9C849DEF92711CA91F8E00B072EC04456BD157B908571BE9D5F7059B3 -iv C5218B4DE9365DACD1156C07E5F80B29 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: 'base32 with = padding kept, zero padding stripped',
    passphrase: 'another passphrase',
    salt: '0123456789abcdef',
    plain: 'JBSWY3DPEFLW64TMMQ======',
    isSecret: true,
    keyHex: 'F89560A9C849DEF92711CA91F8E00B072EC04456BD157B908571BE9D5F7059B3',
    ivHex: 'C5218B4DE9365DACD1156C07E5F80B29',
    padBytes: 8,
    stored: 'uoqkWV+TcG/S97oVAEBmKeldLmxh2eHYDBh1Aio3yfc=',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:another passphrase' -kdfopt 'salt:0123456789abcdef' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'JBSWY3DPEFLW64TMMQ======' > p.bin && head -c 8 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F89560A9C849DEF92711CA91F8E00B072EC04456BD157B908571BE9D5F7059B3 -iv C5218B4DE9365DACD1156C07E5F80B29 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: 'non-ASCII passphrase (UTF-8 bytes, as .NET Rfc2898DeriveBytes(string))',
    passphrase: 'pässwörd €uro 16',
    salt: 'Salz-16-Zeichen!',
    plain: 'ORSXG5DTMVRXEZLUMFRGGZDFMZTWQ2LKNNWG23TP',
    isSecret: true,
    keyHex: '60D1FA0D9623B1B07B8A3A36870F2F5D280EBDE1021F13165D2B575C6844A4F6',
    ivHex: '9FB5939D90F8013DE9D8A1E327912B4D',
    padBytes: 8,
    stored: '9b6rWjktHdSpe2QE2ZTST1VmR6z9mBvD7DPAhbh0LJP4XuXelp63ZdBNw/qoHCJH',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:pässwörd €uro 16' -kdfopt 'salt:Salz-16-Zeichen!' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'ORSXG5DTMVRXEZLUMFRGGZDFMZTWQ2LKNNWG23TP' > p.bin && head -c 8 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K 60D1FA0D9623B1B07B8A3A36870F2F5D280EBDE1021F13165D2B575C6844A4F6 -iv 9FB5939D90F8013DE9D8A1E327912B4D -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: 'right key, but the plaintext is not base32: must be reported as tampered',
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain: 'not base32 text!',
    isSecret: false,
    keyHex: 'F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423',
    ivHex: '1859890CA65DD9E3B002143F1DD11520',
    padBytes: 0,
    stored: 'Op5nko+Du4C7uUTQFnI3Kw==',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:d9GhT=7=Ox8-+LaZ' -kdfopt 'salt:sMFA-legacy-salt' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'not base32 text!' > p.bin && head -c 0 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423 -iv 1859890CA65DD9E3B002143F1DD11520 -nopad -in p.bin | base64 -w0',
    ],
  },
  {
    name: 'right key, lower-case base32: not A-Z2-7, reported as tampered',
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain: 'jbswy3dpehpk3pxp',
    isSecret: false,
    keyHex: 'F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423',
    ivHex: '1859890CA65DD9E3B002143F1DD11520',
    padBytes: 0,
    stored: 'lyxk4i2BI22dC6t1LLt4nA==',
    commands: [
      "openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt 'pass:d9GhT=7=Ox8-+LaZ' -kdfopt 'salt:sMFA-legacy-salt' -kdfopt iter:4 PBKDF2",
      "printf '%s' 'jbswy3dpehpk3pxp' > p.bin && head -c 0 /dev/zero >> p.bin",
      'openssl enc -aes-256-cbc -K F40D56717032B82E4172DD8680E4677BAEB5F45333C88F73A1BC2E0FAC51B423 -iv 1859890CA65DD9E3B002143F1DD11520 -nopad -in p.bin | base64 -w0',
    ],
  },
];
