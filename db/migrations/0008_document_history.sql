-- Authorship of document content, written by the collab server from authenticated connections only: which
-- author sent each Yjs client id first, and which clock ranges each author wrote, when.
CREATE TABLE "document_authors" (
	"doc_name" text NOT NULL,
	"client_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"run_id" text,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_authors_pk" PRIMARY KEY("doc_name","client_id")
);
--> statement-breakpoint
CREATE TABLE "document_edits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"doc_name" text NOT NULL,
	"client_id" bigint NOT NULL,
	"clock_from" integer NOT NULL,
	"clock_to" integer NOT NULL,
	"deletes" "bytea",
	"kind" text NOT NULL,
	"user_id" text,
	"run_id" text,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "document_edits_doc_client_idx" ON "document_edits" USING btree ("doc_name","client_id","clock_from");
--> statement-breakpoint
CREATE INDEX "document_edits_doc_time_idx" ON "document_edits" USING btree ("doc_name","last_at");
