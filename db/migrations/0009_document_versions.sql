-- Versions of each document: a chain of Yjs diffs (each holds what the document gained since the version before,
-- with only the new deletions), restarted with a full state now and then so that opening a version stays fast.
CREATE TABLE "document_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"doc_name" text NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"created_by" text,
	"run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checkpoint" boolean NOT NULL,
	"state_vector" "bytea" NOT NULL,
	"diff" "bytea" NOT NULL,
	"chars" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "document_versions_doc_seq_idx" ON "document_versions" USING btree ("doc_name","seq");
