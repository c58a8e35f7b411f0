-- Case-insensitive comparison of file paths: a path that differs only in case from an existing file or folder
-- is refused. The folded path is computed once per row; `pg_c_utf8` (PostgreSQL 17+) folds the same on every
-- server, whatever locale the database was created with. The column sorts in "C" (code point) order so that
-- "every path under folder F" is one index range, whatever the database's default collation.
ALTER TABLE "files" ADD COLUMN "path_folded" text COLLATE "C" GENERATED ALWAYS AS (lower("path" COLLATE "pg_c_utf8")) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "files_project_path_folded_idx" ON "files" USING btree ("project_id","path_folded");
