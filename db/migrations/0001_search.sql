-- Code search (issue 5): an index of chunks per file and a queue of files to (re)index fed by triggers on the
-- document log (the AI service runs in its own process, so the database is the change feed). The vector parts
-- (chunk embeddings, their HNSW index, the embedding cache) are in migrations/vector/0000_vector.sql.
CREATE TABLE "search_queue" (
	"file_id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"first_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"claimed_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_queue_project_idx" ON "search_queue" USING btree ("project_id");
--> statement-breakpoint
CREATE INDEX "search_queue_changed_idx" ON "search_queue" USING btree ("changed_at");
--> statement-breakpoint
CREATE TABLE "search_files" (
	"file_id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"text_hash" text NOT NULL,
	"chunks" integer NOT NULL,
	"embedding_model" text,
	"version" integer NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_files_project_idx" ON "search_files" USING btree ("project_id");
--> statement-breakpoint
ALTER TABLE "search_files" ADD CONSTRAINT "search_files_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "search_chunks" (
	"file_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"project_id" uuid NOT NULL,
	"start_line" integer NOT NULL,
	"end_line" integer NOT NULL,
	"content" text NOT NULL,
	"content_hash" text NOT NULL,
	"fts" tsvector NOT NULL,
	"tokens" integer NOT NULL,
	"embedding_model" text,
	"dims" integer,
	CONSTRAINT "search_chunks_file_id_ordinal_pk" PRIMARY KEY("file_id","ordinal")
);
--> statement-breakpoint
ALTER TABLE "search_chunks" ADD CONSTRAINT "search_chunks_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "search_chunks_project_idx" ON "search_chunks" USING btree ("project_id");
--> statement-breakpoint
CREATE INDEX "search_chunks_fts_idx" ON "search_chunks" USING gin ("fts");
--> statement-breakpoint
-- One upsert per INSERT statement (collab appends with group commit, so one per batch), rows in file order so
-- two concurrent batches lock queue rows in the same order. Names that are not `<uuid>/<uuid>` are skipped and
-- there is no foreign key: the collab write path must never fail because of search (a file deleted meanwhile
-- leaves a queue row that the indexer drops).
CREATE FUNCTION "search_enqueue_documents"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO "search_queue" AS q ("file_id", "project_id")
	SELECT DISTINCT ON (file_id) file_id, project_id
	FROM (
		SELECT split_part(doc_name, '/', 2)::uuid AS file_id, split_part(doc_name, '/', 1)::uuid AS project_id
		FROM changed_rows
		WHERE doc_name ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
	) AS parsed
	ORDER BY file_id
	ON CONFLICT ("file_id") DO UPDATE SET "changed_at" = now(), "generation" = q."generation" + 1;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "search_enqueue_updates" AFTER INSERT ON "document_updates" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_documents"();
--> statement-breakpoint
CREATE TRIGGER "search_enqueue_snapshots" AFTER INSERT ON "document_snapshots" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_documents"();
