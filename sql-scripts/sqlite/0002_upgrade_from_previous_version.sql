-- SecureMFA OTP store, SQLite dialect, migration 0002: the number of the upgrade from an earlier
-- version's `secrets` table (mssql/ and postgres/ add the columns that table lacks).
--
-- No SQLite database of an earlier version exists: the originals used MS SQL, and every SQLite
-- store was created by 0001 with every column. So this script only records its version, which
-- keeps the numbers equal in every dialect (a database's version means the same everywhere).

INSERT INTO schema_version (version, name, applied)
VALUES (2, 'upgrade_from_previous_version', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
