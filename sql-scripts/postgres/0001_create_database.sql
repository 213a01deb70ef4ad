-- SecureMFA OTP store, PostgreSQL dialect, migration 0001: the tables of a new database.
--
-- Applied by `securemfa-<provider> install` on the main node, in one transaction, under an
-- advisory lock (two installers at once serialise; the second finds nothing to do). A DBA can
-- also apply it by hand, connected to the (already created) database:
--   psql "postgres://owner@db1/securemfa" -v ON_ERROR_STOP=1 -f 0001_create_database.sql
-- Same number, same tables and columns in sqlite/ and mssql/ (types differ: INTEGER 0/1 and BIT
-- for BOOLEAN, INTEGER milliseconds and DATETIME2(3) for TIMESTAMPTZ).
-- IF NOT EXISTS everywhere: a secrets table of an earlier version is kept as it is and
-- completed by 0002_upgrade_from_previous_version.sql.
-- Every migration ends by recording its version in schema_version.

-- Migrations applied so far: one row per script.
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER     NOT NULL PRIMARY KEY,
  name    TEXT        NOT NULL,
  applied TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per user: the `secrets` table of the originals (seed 000 "SQL"), plus
--   upn_key   the lower-cased UPN: the case-insensitive key (upn keeps the spelling enrolled);
--             COLLATE "C" so that keys compare and sort by code point in every database
--             locale, as the other backends do (keyset pages of `list`);
--   laststep  the last accepted TOTP step (RFC 6238 T), the reuse guard, -1 = none yet;
--   email, mobile  profile kept in the store when no directory is configured;
--   created   when the record was created.
-- secret is compared exactly (re-encryption is a compare-and-swap): TEXT equality is exact.
CREATE TABLE IF NOT EXISTS secrets (
  upn_key          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  upn              TEXT        NOT NULL,
  secret           TEXT        NOT NULL,
  enabled          BOOLEAN     NOT NULL DEFAULT TRUE,
  logon            SMALLINT    NOT NULL DEFAULT 0 CHECK (logon IN (0, 1)),
  lastlogon        TIMESTAMPTZ,
  logoncount       INTEGER     NOT NULL DEFAULT 0,
  failedlogoncount INTEGER     NOT NULL DEFAULT 0,
  failedlastlogon  TIMESTAMPTZ,
  failedcode       TEXT,
  logonip          TEXT,
  useragent        TEXT,
  laststep         BIGINT      NOT NULL DEFAULT -1,
  email            TEXT,
  mobile           TEXT,
  created          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Provider registrations written by `install` on the main node (the farm record).
CREATE TABLE IF NOT EXISTS providers (
  provider    TEXT        NOT NULL PRIMARY KEY,
  version     TEXT        NOT NULL,
  fingerprint TEXT        NOT NULL,
  updated     TIMESTAMPTZ NOT NULL
);

-- One-time values already seen (win-otp request states): the farm-wide replay guard.
CREATE TABLE IF NOT EXISTS nonces (
  nonce   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  expires TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS nonces_expires ON nonces (expires);

INSERT INTO schema_version (version, name) VALUES (1, 'create_database')
ON CONFLICT (version) DO NOTHING;
