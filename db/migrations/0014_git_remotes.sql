CREATE TABLE "git_remotes" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"username" text,
	"secret" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "git_remotes" ADD CONSTRAINT "git_remotes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "git_remotes" ADD CONSTRAINT "git_remotes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;