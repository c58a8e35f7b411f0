CREATE TABLE "agent_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"requester_id" uuid NOT NULL,
	"instruction" text NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"message" text,
	"steps" integer DEFAULT 0 NOT NULL,
	"tokens" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"alive_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agent_task_events" (
	"run_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"step_id" text,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_task_events_run_id_seq_pk" PRIMARY KEY("run_id","seq")
);
--> statement-breakpoint
CREATE TABLE "agent_task_files" (
	"run_id" uuid NOT NULL,
	"doc_name" text NOT NULL,
	"path" text NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"review" text DEFAULT 'pending' NOT NULL,
	"reviewed_by" uuid,
	CONSTRAINT "agent_task_files_run_id_doc_name_pk" PRIMARY KEY("run_id","doc_name")
);
--> statement-breakpoint
CREATE TABLE "agent_project_settings" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"allow_commands" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_tasks" ADD CONSTRAINT "agent_tasks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_tasks" ADD CONSTRAINT "agent_tasks_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_task_events" ADD CONSTRAINT "agent_task_events_run_id_agent_tasks_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."agent_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_task_files" ADD CONSTRAINT "agent_task_files_run_id_agent_tasks_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."agent_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_project_settings" ADD CONSTRAINT "agent_project_settings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_tasks_project_created_idx" ON "agent_tasks" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "agent_tasks_state_idx" ON "agent_tasks" USING btree ("state");
