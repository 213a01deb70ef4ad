-- SecureMFA OTP store, Microsoft SQL Server (T-SQL) dialect, migration 0002: upgrade a `secrets`
-- table of an earlier version — the originals' sql_Create_Database_SecureMfaOTP table with the
-- columns upn, secret, logon, lastlogon, logoncount, failedlogoncount, failedlastlogon,
-- failedcode, logonip, useragent — by adding the columns this version needs (the originals'
-- "sql_Upgrade_From_Previous_Version": "This will add any extra missing columns"). Existing
-- rows keep their data. On a database 0001 created, every step finds its column or index in
-- place and changes nothing.
--
--   sqlcmd -S sql1,1433 -d SecureMfaOTP -b -i 0002_upgrade_from_previous_version.sql
-- Same number in sqlite/ and postgres/.
-- GO separates batches: a column added in one batch can only be used in a later one.

IF COL_LENGTH(N'dbo.secrets', N'upn_key') IS NULL
ALTER TABLE dbo.secrets ADD upn_key NVARCHAR(256) COLLATE Latin1_General_100_BIN2 NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'enabled') IS NULL
ALTER TABLE dbo.secrets ADD enabled BIT NOT NULL DEFAULT 1;
GO
IF COL_LENGTH(N'dbo.secrets', N'logon') IS NULL
ALTER TABLE dbo.secrets ADD logon INT NOT NULL DEFAULT 0;
GO
IF COL_LENGTH(N'dbo.secrets', N'lastlogon') IS NULL
ALTER TABLE dbo.secrets ADD lastlogon DATETIME2(3) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'logoncount') IS NULL
ALTER TABLE dbo.secrets ADD logoncount INT NOT NULL DEFAULT 0;
GO
IF COL_LENGTH(N'dbo.secrets', N'failedlogoncount') IS NULL
ALTER TABLE dbo.secrets ADD failedlogoncount INT NOT NULL DEFAULT 0;
GO
IF COL_LENGTH(N'dbo.secrets', N'failedlastlogon') IS NULL
ALTER TABLE dbo.secrets ADD failedlastlogon DATETIME2(3) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'failedcode') IS NULL
ALTER TABLE dbo.secrets ADD failedcode NVARCHAR(16) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'logonip') IS NULL
ALTER TABLE dbo.secrets ADD logonip NVARCHAR(64) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'useragent') IS NULL
ALTER TABLE dbo.secrets ADD useragent NVARCHAR(512) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'laststep') IS NULL
ALTER TABLE dbo.secrets ADD laststep BIGINT NOT NULL DEFAULT -1;
GO
IF COL_LENGTH(N'dbo.secrets', N'email') IS NULL
ALTER TABLE dbo.secrets ADD email NVARCHAR(320) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'mobile') IS NULL
ALTER TABLE dbo.secrets ADD mobile NVARCHAR(64) NULL;
GO
IF COL_LENGTH(N'dbo.secrets', N'created') IS NULL
ALTER TABLE dbo.secrets ADD created DATETIME2(3) NOT NULL DEFAULT SYSUTCDATETIME();
GO

-- Rows of the earlier version: the key from the UPN; counters left NULL start at 0 (a NULL
-- counter stays NULL after `+ 1`).
UPDATE dbo.secrets SET upn_key = LOWER(LTRIM(RTRIM(upn))) WHERE upn_key IS NULL;
GO
UPDATE dbo.secrets SET logon = 0 WHERE logon IS NULL;
GO
UPDATE dbo.secrets SET logoncount = 0 WHERE logoncount IS NULL;
GO
UPDATE dbo.secrets SET failedlogoncount = 0 WHERE failedlogoncount IS NULL;
GO
-- Only while it still allows NULL (on a 0001 table it is the primary key, which cannot be altered).
IF COLUMNPROPERTY(OBJECT_ID(N'dbo.secrets'), N'upn_key', 'AllowsNull') = 1
ALTER TABLE dbo.secrets ALTER COLUMN upn_key NVARCHAR(256) COLLATE Latin1_General_100_BIN2 NOT NULL;
GO

-- The re-encryption compare-and-swap compares secrets exactly; an originals' table usually has
-- the database's case-insensitive default collation on secret.
IF EXISTS (
  SELECT 1 FROM sys.columns
  WHERE object_id = OBJECT_ID(N'dbo.secrets') AND name = N'secret'
    AND collation_name <> N'Latin1_General_100_BIN2'
)
ALTER TABLE dbo.secrets ALTER COLUMN secret NVARCHAR(2048) COLLATE Latin1_General_100_BIN2 NOT NULL;
GO

-- The MERGE of enrol matches on upn_key: a unique index (0001 makes it the primary key).
IF NOT EXISTS (
  SELECT 1 FROM sys.index_columns ic
  JOIN sys.indexes i ON i.object_id = ic.object_id AND i.index_id = ic.index_id
  WHERE ic.object_id = OBJECT_ID(N'dbo.secrets') AND i.is_unique = 1
    AND COL_NAME(ic.object_id, ic.column_id) = N'upn_key'
)
CREATE UNIQUE INDEX ux_secrets_upn_key ON dbo.secrets (upn_key);
GO

IF NOT EXISTS (SELECT 1 FROM dbo.schema_version WHERE version = 2)
INSERT INTO dbo.schema_version (version, name) VALUES (2, N'upgrade_from_previous_version');
GO
