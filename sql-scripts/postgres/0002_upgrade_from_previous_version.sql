-- SecureMFA OTP store, PostgreSQL dialect, migration 0002: complete a `secrets` table of an
-- earlier version (the originals' columns: upn, secret, logon, lastlogon, logoncount,
-- failedlogoncount, failedlastlogon, failedcode, logonip, useragent — e.g. carried over from
-- MS SQL) with the columns this version needs. On a database 0001 created, every step below
-- finds its column or index in place and changes nothing.
--
-- Same number in sqlite/ and mssql/ (mssql: sql_Upgrade_From_Previous_Version of the originals).

ALTER TABLE secrets ADD COLUMN IF NOT EXISTS upn_key          TEXT COLLATE "C";
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS enabled          BOOLEAN     NOT NULL DEFAULT TRUE;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS logon            SMALLINT    NOT NULL DEFAULT 0;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS lastlogon        TIMESTAMPTZ;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS logoncount       INTEGER     NOT NULL DEFAULT 0;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS failedlogoncount INTEGER     NOT NULL DEFAULT 0;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS failedlastlogon  TIMESTAMPTZ;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS failedcode       TEXT;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS logonip          TEXT;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS useragent        TEXT;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS laststep         BIGINT      NOT NULL DEFAULT -1;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS email            TEXT;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS mobile           TEXT;
ALTER TABLE secrets ADD COLUMN IF NOT EXISTS created          TIMESTAMPTZ NOT NULL DEFAULT now();

-- Rows of the earlier version: the key from the UPN, counters that were left NULL start at 0
-- (a NULL counter would stay NULL after `+ 1`, and the reuse guard must hold from now on).
UPDATE secrets SET upn_key = lower(btrim(upn)) WHERE upn_key IS NULL;
UPDATE secrets SET logon = 0 WHERE logon IS NULL;
UPDATE secrets SET logoncount = 0 WHERE logoncount IS NULL;
UPDATE secrets SET failedlogoncount = 0 WHERE failedlogoncount IS NULL;
ALTER TABLE secrets ALTER COLUMN upn_key SET NOT NULL;

-- The upsert of enrol needs a unique index on upn_key (0001 makes it the primary key).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1
      FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
     WHERE i.indrelid = 'secrets'::regclass AND i.indisunique AND i.indnatts = 1
       AND a.attname = 'upn_key'
  ) THEN
    CREATE UNIQUE INDEX secrets_upn_key ON secrets (upn_key);
  END IF;
END
$$;

INSERT INTO schema_version (version, name) VALUES (2, 'upgrade_from_previous_version')
ON CONFLICT (version) DO NOTHING;
