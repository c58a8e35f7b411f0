-- The vector parts of code search, applied only where the pgvector extension is available (src/migrate.ts):
-- wherever it is missing, search runs in text mode, and these are added at the first start after it is installed.
-- Every statement is idempotent, since databases migrated before this split already have them.
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
ALTER TABLE "search_chunks" ADD COLUMN IF NOT EXISTS "embedding" vector;
--> statement-breakpoint
-- HNSW needs a fixed width: the column holds any width (tagged by model and dims) and this partial expression
-- index covers 768-dimensional vectors (nomic-embed-text, the default EMBED_DIMENSIONS). Other widths are
-- searched exactly, without the index; add an index like this one for another width. m 8 and ef_construction 16
-- (pgvector's defaults are 16 and 64) make each insert, which the live indexer pays on every edit, about half as
-- costly as m 16 / ef_construction 32 (measured: bench:search writes 32 chunks in ~85 ms instead of ~170 ms, same
-- relevance); queries make up for the sparser graph with a wide ef_search and iterative scans.
CREATE INDEX IF NOT EXISTS "search_chunks_embedding_768_idx" ON "search_chunks" USING hnsw ((("embedding")::vector(768)) vector_cosine_ops) WITH (m = 8, ef_construction = 16) WHERE "dims" = 768;
--> statement-breakpoint
-- A cache of embeddings by (model, content hash), so the same content is never embedded twice by one model.
CREATE TABLE IF NOT EXISTS "search_embeddings" (
	"model" text NOT NULL,
	"content_hash" text NOT NULL,
	"embedding" vector NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "search_embeddings_model_content_hash_pk" PRIMARY KEY("model","content_hash")
);
