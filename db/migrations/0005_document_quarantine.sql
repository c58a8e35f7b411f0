-- Stored updates that could not be applied, moved out of the document log (and bad snapshots), kept for inspection.
CREATE TABLE "document_quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"doc_name" text NOT NULL,
	"seq" bigint,
	"update" "bytea" NOT NULL,
	"reason" text NOT NULL,
	"quarantined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "document_quarantine_doc_idx" ON "document_quarantine" USING btree ("doc_name","quarantined_at");
