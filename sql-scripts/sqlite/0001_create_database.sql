-- SecureMFA OTP store, SQLite dialect, migration 0001: the tables of a new database.
--
-- Applied by `securemfa-<provider> install` (and on first open of the embedded store) in one
-- transaction; can also be applied by hand: sqlite3 securemfa.db < 0001_create_database.sql
-- Same number, same tables and columns in postgres/ and mssql/ (types differ: BOOLEAN/BIT for
-- 0/1 flags, TIMESTAMPTZ/DATETIME2 for the INTEGER millisecond times).
-- Every migration ends by recording its version in schema_version.

-- Migrations applied so far: one row per script.
CREATE TABLE schema_version (
  version INTEGER NOT NULL PRIMARY KEY,
  name    TEXT    NOT NULL,
  applied INTEGER NOT NULL               -- milliseconds since the Unix epoch
);

-- One row per user: the `secrets` table of the originals (seed 000 "SQL"), plus
--   upn_key   the lower-cased UPN: the case-insensitive key (upn keeps the spelling enrolled);
--   laststep  the last accepted TOTP step (RFC 6238 T), the reuse guard, -1 = none yet;
--   email, mobile  profile kept in the store when no directory is configured;
--   created   when the record was created.
-- Times are INTEGER milliseconds since the Unix epoch; flags are INTEGER 0/1.
CREATE TABLE secrets (
  upn_key          TEXT    NOT NULL PRIMARY KEY,
  upn              TEXT    NOT NULL,
  secret           TEXT    NOT NULL,
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  logon            INTEGER NOT NULL DEFAULT 0 CHECK (logon IN (0, 1)),
  lastlogon        INTEGER,
  logoncount       INTEGER NOT NULL DEFAULT 0,
  failedlogoncount INTEGER NOT NULL DEFAULT 0,
  failedlastlogon  INTEGER,
  failedcode       TEXT,
  logonip          TEXT,
  useragent        TEXT,
  laststep         INTEGER NOT NULL DEFAULT -1,
  email            TEXT,
  mobile           TEXT,
  created          INTEGER NOT NULL
);

-- Provider registrations written by `install` on the main node (the farm record).
CREATE TABLE providers (
  provider    TEXT    NOT NULL PRIMARY KEY,
  version     TEXT    NOT NULL,
  fingerprint TEXT    NOT NULL,
  updated     INTEGER NOT NULL
);

-- One-time values already seen (win-otp request states): the farm-wide replay guard.
-- (Column `nonce`, not `key`: KEY is a reserved word in T-SQL.)
CREATE TABLE nonces (
  nonce   TEXT    NOT NULL PRIMARY KEY,
  expires INTEGER NOT NULL
);
CREATE INDEX nonces_expires ON nonces (expires);

INSERT INTO schema_version (version, name, applied)
VALUES (1, 'create_database', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
