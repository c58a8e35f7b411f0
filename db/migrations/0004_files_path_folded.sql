-- Case-insensitive comparison of file paths: a path that differs only in case from an existing file or folder
-- is refused. `mimi_fold_path` lowercases with the best case mapping the server has: the built-in `pg_c_utf8`
-- collation (PostgreSQL 17+, and the embedded PGlite), else ICU's root locale, else the database's default
-- (which folds only ASCII under the "C" locale). The folded path is stored once per row; the column sorts in
-- "C" (code point) order so that "every path under folder F" is one index range, whatever the database's
-- default collation.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8') THEN
    CREATE FUNCTION mimi_fold_path(p text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS 'SELECT lower(p COLLATE "pg_c_utf8")';
  ELSIF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
    CREATE FUNCTION mimi_fold_path(p text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS 'SELECT lower(p COLLATE "und-x-icu")';
  ELSE
    CREATE FUNCTION mimi_fold_path(p text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS 'SELECT lower(p)';
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "path_folded" text COLLATE "C" GENERATED ALWAYS AS (mimi_fold_path("path")) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "files_project_path_folded_idx" ON "files" USING btree ("project_id","path_folded");
