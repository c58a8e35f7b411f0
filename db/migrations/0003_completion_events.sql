-- Inline completion telemetry (issue 7): one row per shown, accepted or dismissed suggestion.
CREATE TABLE "completion_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"doc_name" text NOT NULL,
	"kind" text NOT NULL,
	"latency_ms" integer NOT NULL,
	"model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "completion_events_kind_check" CHECK ("completion_events"."kind" in ('shown', 'accepted', 'dismissed'))
);
--> statement-breakpoint
ALTER TABLE "completion_events" ADD CONSTRAINT "completion_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completion_events" ADD CONSTRAINT "completion_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "completion_events_project_idx" ON "completion_events" USING btree ("project_id","created_at");
