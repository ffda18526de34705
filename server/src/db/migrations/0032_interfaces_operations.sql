CREATE TABLE "event_dead_letters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_dead_letters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subscription_id" bigint NOT NULL,
	"event_id" bigint NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text,
	"dead_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replay_requested_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"api" text NOT NULL,
	"event_type" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text NOT NULL,
	"fields" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_subscriptions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"api" text NOT NULL,
	"callback" text NOT NULL,
	"query" text,
	"secret_enc" text NOT NULL,
	"client_id" text,
	"user_id" bigint,
	"active" boolean DEFAULT true NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"head_attempts" integer DEFAULT 0 NOT NULL,
	"head_failing_since" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_delivered_at" timestamp with time zone,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "monitor_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_thresholds" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"disk_free_percent" numeric(5, 2) DEFAULT 10 NOT NULL,
	"outbox_oldest_seconds" integer DEFAULT 300 NOT NULL,
	"dead_letters" integer DEFAULT 0 NOT NULL,
	"job_failed" boolean DEFAULT true NOT NULL,
	"replication_lag_seconds" integer DEFAULT 60 NOT NULL,
	"error_rate_percent" numeric(5, 2) DEFAULT 1 NOT NULL,
	"p95_seconds" numeric(6, 3) DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitor_thresholds_one_row" CHECK ("monitor_thresholds"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "api_calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"api_client_id" bigint NOT NULL,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"status" smallint NOT NULL,
	"duration_ms" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_client_secrets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_client_secrets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"api_client_id" bigint NOT NULL,
	"secret_hash" text NOT NULL,
	"hint" text NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" bigint
);
--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_clients_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"unit_id" bigint NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"partner_id" bigint,
	"rate_limit_per_minute" integer DEFAULT 600 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_clients_rate_limit" CHECK ("api_clients"."rate_limit_per_minute" BETWEEN 1 AND 1000000)
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"token_hash" text NOT NULL,
	"api_client_id" bigint NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "boss_billing_batches" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"status" text NOT NULL,
	"import_job_id" bigint,
	"lines" integer DEFAULT 0 NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"http_status" integer,
	"answer" jsonb,
	"client_id" text,
	"actor_username" text,
	"unit_path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "boss_inbox_files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "boss_inbox_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"file_size" bigint NOT NULL,
	"kind" text,
	"status" text NOT NULL,
	"import_job_id" bigint,
	"duplicate_of" bigint,
	"moved_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "system_installation" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_installation_singleton" CHECK ("system_installation"."singleton")
);
--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "boss_billing_batches" ADD CONSTRAINT "boss_billing_batches_import_job_id_import_jobs_id_fk" FOREIGN KEY ("import_job_id") REFERENCES "public"."import_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boss_inbox_files" ADD CONSTRAINT "boss_inbox_files_import_job_id_import_jobs_id_fk" FOREIGN KEY ("import_job_id") REFERENCES "public"."import_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_dead_letters_subscription_idx" ON "event_dead_letters" USING btree ("subscription_id","event_id");--> statement-breakpoint
CREATE INDEX "event_dead_letters_replay_idx" ON "event_dead_letters" USING btree ("subscription_id") WHERE "event_dead_letters"."replay_requested_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "event_outbox_api_idx" ON "event_outbox" USING btree ("api","id");--> statement-breakpoint
CREATE INDEX "event_subscriptions_api_idx" ON "event_subscriptions" USING btree ("api");--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_alerts_open_idx" ON "monitor_alerts" USING btree ("kind","subject") WHERE "monitor_alerts"."cleared_at" IS NULL;--> statement-breakpoint
CREATE INDEX "monitor_alerts_raised_idx" ON "monitor_alerts" USING btree ("raised_at");--> statement-breakpoint
CREATE INDEX "api_calls_client_idx" ON "api_calls" USING btree ("api_client_id","at");--> statement-breakpoint
CREATE INDEX "api_client_secrets_client_idx" ON "api_client_secrets" USING btree ("api_client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_client_id_uq" ON "api_clients" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "api_clients_unit_idx" ON "api_clients" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_client_idx" ON "api_tokens" USING btree ("api_client_id","expires_at");--> statement-breakpoint
CREATE INDEX "boss_billing_batches_created_idx" ON "boss_billing_batches" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "boss_inbox_files_imported_uq" ON "boss_inbox_files" USING btree ("sha256") WHERE "boss_inbox_files"."status" = 'imported';--> statement-breakpoint
CREATE INDEX "boss_inbox_files_sha_idx" ON "boss_inbox_files" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_tick_idx" ON "job_runs" USING btree ("job","scheduled_for");
--> statement-breakpoint
INSERT INTO "monitor_thresholds" DEFAULT VALUES;--> statement-breakpoint
INSERT INTO "system_installation" ("id") VALUES (gen_random_uuid()::text);
