/**
 * Legacy-format ciphertexts (the originals' documented scheme: AES-256-CBC, PBKDF2-HMAC-SHA1
 * 4 iterations over a 16-byte salt, zero padding, base64) produced INDEPENDENTLY with the
 * openssl CLI — not with our code. Each was made by:
 *
 * ```sh
 * kdf=$(openssl kdf -keylen 48 -kdfopt digest:SHA1 -kdfopt "pass:$PASS" -kdfopt "salt:$SALT" \
 *        -kdfopt iter:4 PBKDF2 | tr -d ':\n')          # 32-byte key || 16-byte IV
 * printf '%s' "$PLAIN" > p.bin; pad=$(( (16 - $(stat -c%s p.bin) % 16) % 16 ))
 * head -c $pad /dev/zero >> p.bin                      # zero padding
 * openssl enc -aes-256-cbc -K ${kdf:0:64} -iv ${kdf:64:32} -nopad -in p.bin | base64 -w0
 * ```
 * (`openssl enc -pbkdf2 -S` cannot be used: it truncates salts to 8 bytes.)
 */
export interface LegacyCipherVector {
  passphrase: string;
  salt: string;
  plain: string;
  stored: string;
}

export const LEGACY_CIPHER_VECTORS: readonly LegacyCipherVector[] = [
  { passphrase: 'd9GhT=7=Ox8-+LaZ', salt: 'sMFA-legacy-salt', plain: 'JBSWY3DPEHPK3PXP', stored: 'mZsg31ZWM9qUX93DiJwVyA==' },
  {
    passphrase: 'd9GhT=7=Ox8-+LaZ',
    salt: 'sMFA-legacy-salt',
    plain: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    stored: 'oS+gDtEsDJ3ry62gTQzUaQkqLfU8eKECA3tmL85eXYw=',
  },
  {
    passphrase: 'another passphrase',
    salt: '0123456789abcdef',
    plain: 'KRUGS4ZANFZSAYJAORSXG5BAMFRGGZDF',
    stored: 'miSfghQHCjgLKwLyQmUx3u568nzbq0KAhYf4JO6VaIw=',
  },
];
