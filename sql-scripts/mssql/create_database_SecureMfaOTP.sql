-- SecureMFA OTP store on Microsoft SQL Server: create the SecureMfaOTP database, the logins and
-- the database roles the providers need. Run once, as a sysadmin, in SSMS or with sqlcmd:
--   sqlcmd -S sql1,1433 -E -b -i create_database_SecureMfaOTP.sql
-- then apply the numbered migrations (0001_…, 0002_…) — `securemfa-<provider> install` on the
-- main node does that — or run them by hand (see their headers).
--
-- Before running it (as the originals' sql_Create_Database_SecureMfaOTP said): modify FILENAME to
-- reflect your SQL Server storage, and the account names below to yours. Every step is guarded,
-- so running it again changes nothing.
--
-- Accounts (seed 000 step 5: "provision access to the SecureMfaOTP database for the ADFS service
-- account or SQL user"):
-- - ADATUM\svc-adfs: the ADFS-style Windows service account of the original .NET providers
--   (integrated security, Windows only);
-- - securemfa_svc: a SQL login for the SecureMFA Node providers. Integrated security is
--   Windows-only and not available to them: set sqlintegratedsecurity "false" and put this login
--   in sqluseraccount / sqluserpassword.
-- Least privilege instead of the originals' dbo:
-- - role securemfa_service: read and write rows (SELECT, INSERT, UPDATE, DELETE on schema dbo) —
--   what every provider node needs at run time;
-- - role securemfa_installer: securemfa_service plus creating and altering tables
--   (db_ddladmin) — what `install` on the main node needs to apply the migrations. Give it to the
--   account that runs install, or apply the migrations as a DBA and grant only securemfa_service.

USE master;
GO

IF DB_ID(N'SecureMfaOTP') IS NULL
CREATE DATABASE SecureMfaOTP
  ON PRIMARY (NAME = N'SecureMfaOTP',
              FILENAME = N'C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\DATA\SecureMfaOTP.mdf',
              SIZE = 64MB, FILEGROWTH = 64MB)
  LOG ON (NAME = N'SecureMfaOTP_log',
          FILENAME = N'C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\DATA\SecureMfaOTP_log.ldf',
          SIZE = 16MB, FILEGROWTH = 16MB);
GO

-- The ADFS service account (Windows login).
IF SUSER_ID(N'ADATUM\svc-adfs') IS NULL
CREATE LOGIN [ADATUM\svc-adfs] FROM WINDOWS WITH DEFAULT_DATABASE = SecureMfaOTP;
GO

-- The SQL login of the Node providers: CHANGE THE PASSWORD before running this.
IF SUSER_ID(N'securemfa_svc') IS NULL
CREATE LOGIN securemfa_svc WITH PASSWORD = N'Change-Me-0n-Install!', CHECK_POLICY = ON,
  DEFAULT_DATABASE = SecureMfaOTP;
GO

USE SecureMfaOTP;
GO

IF DATABASE_PRINCIPAL_ID(N'securemfa_service') IS NULL
CREATE ROLE securemfa_service;
GO
GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo TO securemfa_service;
GO

IF DATABASE_PRINCIPAL_ID(N'securemfa_installer') IS NULL
CREATE ROLE securemfa_installer;
GO
ALTER ROLE securemfa_service ADD MEMBER securemfa_installer;
GO
ALTER ROLE db_ddladmin ADD MEMBER securemfa_installer;
GO

IF DATABASE_PRINCIPAL_ID(N'ADATUM\svc-adfs') IS NULL
CREATE USER [ADATUM\svc-adfs] FOR LOGIN [ADATUM\svc-adfs] WITH DEFAULT_SCHEMA = dbo;
GO
ALTER ROLE securemfa_service ADD MEMBER [ADATUM\svc-adfs];
GO

IF DATABASE_PRINCIPAL_ID(N'securemfa_svc') IS NULL
CREATE USER securemfa_svc FOR LOGIN securemfa_svc WITH DEFAULT_SCHEMA = dbo;
GO
-- The main node runs install with this login: it may create the tables. On other nodes (or once
-- the schema is in place) securemfa_service is enough:
--   ALTER ROLE securemfa_installer DROP MEMBER securemfa_svc; ALTER ROLE securemfa_service ADD MEMBER securemfa_svc;
ALTER ROLE securemfa_installer ADD MEMBER securemfa_svc;
GO
