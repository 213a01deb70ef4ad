-- SecureMFA OTP store, SQLite dialect, migration 0001: the tables of a new database.
-- Applied by the installer (securemfa-<provider> install) in one transaction; the runner records
-- the version in schema_version. Same number and same tables in postgres/ and mssql/.

-- One row per user: the SQL table `secrets` of the originals, plus upn_key (lower-cased UPN,
-- the case-insensitive key), laststep (the reuse guard), email/mobile and created.
CREATE TABLE secrets (
  upn_key          TEXT    NOT NULL PRIMARY KEY,
  upn              TEXT    NOT NULL,
  secret           TEXT    NOT NULL,
  enabled          INTEGER NOT NULL DEFAULT 1,
  logon            INTEGER NOT NULL DEFAULT 0,
  lastlogon        INTEGER,            -- milliseconds since the Unix epoch
  logoncount       INTEGER NOT NULL DEFAULT 0,
  failedlogoncount INTEGER NOT NULL DEFAULT 0,
  failedlastlogon  INTEGER,            -- milliseconds since the Unix epoch
  failedcode       TEXT,
  logonip          TEXT,
  useragent        TEXT,
  laststep         INTEGER NOT NULL DEFAULT -1,
  email            TEXT,
  mobile           TEXT,
  created          INTEGER NOT NULL
);

-- Provider registrations written by `install` on the main node (farm record).
CREATE TABLE providers (
  provider    TEXT    NOT NULL PRIMARY KEY,
  version     TEXT    NOT NULL,
  fingerprint TEXT    NOT NULL,
  updated     INTEGER NOT NULL
);

-- One-time values already seen (win-otp request states): a farm-wide replay guard.
CREATE TABLE nonces (
  nonce   TEXT    NOT NULL PRIMARY KEY,
  expires INTEGER NOT NULL
);
CREATE INDEX nonces_expires ON nonces (expires);
