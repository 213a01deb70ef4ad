-- SecureMFA OTP store, Microsoft SQL Server (T-SQL) dialect, migration 0001: the tables of the
-- SecureMfaOTP database.
--
-- Create the database first (create_database_SecureMfaOTP.sql, as a sysadmin), then either let
-- `securemfa-<provider> install` on the main node apply the migrations (it runs each script in
-- one transaction under an application lock and records its version), or apply them by hand:
--   sqlcmd -S sql1,1433 -d SecureMfaOTP -b -i 0001_create_database.sql
--   sqlcmd -S sql1,1433 -d SecureMfaOTP -b -i 0002_upgrade_from_previous_version.sql
-- Every step is guarded (IF NOT EXISTS …), so a script can be run again; a `secrets` table of an
-- earlier version is left as it is here and completed by 0002.
-- Same number, same tables and columns in sqlite/ and postgres/.
-- GO separates batches (sqlcmd, SSMS; the installer splits on it too).

-- Migrations applied so far: one row per script.
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = N'schema_version')
CREATE TABLE dbo.schema_version (
  version INT           NOT NULL,
  name    NVARCHAR(128) NOT NULL,
  applied DATETIME2(3)  NOT NULL DEFAULT SYSUTCDATETIME(),
  CONSTRAINT pk_schema_version PRIMARY KEY CLUSTERED (version)
);
GO

-- One row per user: the `secrets` table of the originals (seed 000 "SQL"), plus
--   upn_key   the lower-cased UPN: the case-insensitive key (upn keeps the spelling enrolled);
--   laststep  the last accepted TOTP step (RFC 6238 T), the reuse guard, -1 = none yet;
--   email, mobile  profile kept in the store when no directory is configured;
--   created   when the record was created.
-- upn_key, secret: binary collation (Latin1_General_100_BIN2): keys sort by code point like the
-- other backends, and the re-encryption compare-and-swap compares secrets exactly (a base64
-- envelope is case-sensitive; the database default collation usually is not).
-- NVARCHAR(256) keys: a clustered key is limited to 900 bytes.
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = N'secrets')
CREATE TABLE dbo.secrets (
  upn_key          NVARCHAR(256)  COLLATE Latin1_General_100_BIN2 NOT NULL,
  upn              NVARCHAR(256)  NOT NULL,
  secret           NVARCHAR(2048) COLLATE Latin1_General_100_BIN2 NOT NULL,
  enabled          BIT            NOT NULL DEFAULT 1,
  logon            INT            NOT NULL DEFAULT 0 CHECK (logon IN (0, 1)),
  lastlogon        DATETIME2(3)   NULL,
  logoncount       INT            NOT NULL DEFAULT 0,
  failedlogoncount INT            NOT NULL DEFAULT 0,
  failedlastlogon  DATETIME2(3)   NULL,
  failedcode       NVARCHAR(16)   NULL,
  logonip          NVARCHAR(64)   NULL,
  useragent        NVARCHAR(512)  NULL,
  laststep         BIGINT         NOT NULL DEFAULT -1,
  email            NVARCHAR(320)  NULL,
  mobile           NVARCHAR(64)   NULL,
  created          DATETIME2(3)   NOT NULL DEFAULT SYSUTCDATETIME(),
  CONSTRAINT pk_secrets PRIMARY KEY CLUSTERED (upn_key)
);
GO

-- Provider registrations written by `install` on the main node (the farm record).
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = N'providers')
CREATE TABLE dbo.providers (
  provider    NVARCHAR(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
  version     NVARCHAR(64)  NOT NULL,
  fingerprint NVARCHAR(128) NOT NULL,
  updated     DATETIME2(3)  NOT NULL,
  CONSTRAINT pk_providers PRIMARY KEY CLUSTERED (provider)
);
GO

-- One-time values already seen (win-otp request states): the farm-wide replay guard.
-- (Column `nonce`, not `key`: KEY is a reserved word in T-SQL.)
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = N'nonces')
CREATE TABLE dbo.nonces (
  nonce   NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
  expires DATETIME2(3)  NOT NULL,
  CONSTRAINT pk_nonces PRIMARY KEY CLUSTERED (nonce)
);
GO

-- The sweep of expired nonces (DELETE … WHERE expires <= @now) seeks instead of scanning.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_nonces_expires')
CREATE NONCLUSTERED INDEX ix_nonces_expires ON dbo.nonces (expires);
GO

IF NOT EXISTS (SELECT 1 FROM dbo.schema_version WHERE version = 1)
INSERT INTO dbo.schema_version (version, name) VALUES (1, N'create_database');
GO
