CREATE TABLE "manager_certifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "manager_certifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"name" text NOT NULL,
	"issuer" text,
	"certificate_no" text,
	"issued_on" date,
	"expires_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manager_profiles" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"grade" text DEFAULT 'junior' NOT NULL,
	"started_on" date,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"max_portfolio" integer,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manager_task_assignments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "manager_task_assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"task_id" bigint NOT NULL,
	"manager_id" bigint NOT NULL,
	"status" text DEFAULT 'assigned' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"submitted_at" timestamp with time zone,
	"score" integer,
	"evaluation" text,
	"evaluated_by" bigint,
	"evaluated_at" timestamp with time zone,
	"escalated_to" bigint,
	"escalated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manager_task_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "manager_task_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"assignment_id" bigint NOT NULL,
	"author_id" bigint NOT NULL,
	"progress" integer,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manager_tasks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "manager_tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"description" text,
	"expected_outcome" text,
	"due_on" date NOT NULL,
	"unit_id" bigint NOT NULL,
	"issued_by" bigint NOT NULL,
	"target" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminder_settings" (
	"unit_id" bigint NOT NULL,
	"type" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"lead_days" integer[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminder_settings_unit_id_type_pk" PRIMARY KEY("unit_id","type")
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reminders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"manager_id" bigint NOT NULL,
	"type" text NOT NULL,
	"item_key" text NOT NULL,
	"customer_id" bigint,
	"entity" text,
	"entity_id" bigint,
	"due_on" date NOT NULL,
	"lead_days" integer,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"generated_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"snoozed_until" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorecard_lines" (
	"scorecard_id" bigint NOT NULL,
	"indicator" text NOT NULL,
	"value" numeric(16, 4),
	"target" numeric(16, 4) NOT NULL,
	"weight" numeric(5, 2) NOT NULL,
	"score" numeric(7, 2) NOT NULL,
	"previous_value" numeric(16, 4),
	"previous_score" numeric(7, 2),
	CONSTRAINT "scorecard_lines_scorecard_id_indicator_pk" PRIMARY KEY("scorecard_id","indicator")
);
--> statement-breakpoint
CREATE TABLE "scorecard_weights" (
	"unit_id" bigint NOT NULL,
	"indicator" text NOT NULL,
	"weight" numeric(5, 2) NOT NULL,
	"target" numeric(16, 4) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scorecard_weights_unit_id_indicator_pk" PRIMARY KEY("unit_id","indicator")
);
--> statement-breakpoint
CREATE TABLE "scorecards" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "scorecards_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"month" date NOT NULL,
	"manager_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"total_score" numeric(7, 2) DEFAULT '0' NOT NULL,
	"unit_rank" integer,
	"revision" integer DEFAULT 1 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_comments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"plan_id" bigint,
	"log_id" bigint,
	"author_id" bigint NOT NULL,
	"decision" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_logs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_logs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"manager_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"logged_on" date NOT NULL,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"result" text DEFAULT 'neutral' NOT NULL,
	"next_step" text,
	"next_step_on" date,
	"plan_item_id" bigint,
	"visit_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_plan_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_plan_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"plan_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"planned_on" date NOT NULL,
	"goal" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"log_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_plans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"manager_id" bigint NOT NULL,
	"period" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"title" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"reviewed_by" bigint,
	"reviewed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "manager_certifications_user_idx" ON "manager_certifications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "manager_certifications_expiry_idx" ON "manager_certifications" USING btree ("expires_on");--> statement-breakpoint
CREATE UNIQUE INDEX "manager_task_assignments_uq" ON "manager_task_assignments" USING btree ("task_id","manager_id");--> statement-breakpoint
CREATE INDEX "manager_task_assignments_manager_idx" ON "manager_task_assignments" USING btree ("manager_id","status");--> statement-breakpoint
CREATE INDEX "manager_task_reports_assignment_idx" ON "manager_task_reports" USING btree ("assignment_id","created_at");--> statement-breakpoint
CREATE INDEX "manager_tasks_unit_idx" ON "manager_tasks" USING btree ("unit_id","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_manager_item_uq" ON "reminders" USING btree ("manager_id","item_key");--> statement-breakpoint
CREATE INDEX "reminders_manager_open_idx" ON "reminders" USING btree ("manager_id","due_on") WHERE "reminders"."status" <> 'dismissed';--> statement-breakpoint
CREATE INDEX "reminders_generated_idx" ON "reminders" USING btree ("generated_on");--> statement-breakpoint
CREATE UNIQUE INDEX "scorecards_month_manager_uq" ON "scorecards" USING btree ("month","manager_id");--> statement-breakpoint
CREATE INDEX "scorecards_unit_month_idx" ON "scorecards" USING btree ("unit_id","month");--> statement-breakpoint
CREATE INDEX "work_comments_plan_idx" ON "work_comments" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "work_comments_log_idx" ON "work_comments" USING btree ("log_id");--> statement-breakpoint
CREATE INDEX "work_logs_manager_idx" ON "work_logs" USING btree ("manager_id","logged_on");--> statement-breakpoint
CREATE INDEX "work_logs_customer_idx" ON "work_logs" USING btree ("customer_id","logged_on");--> statement-breakpoint
CREATE INDEX "work_plan_items_plan_idx" ON "work_plan_items" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "work_plan_items_customer_idx" ON "work_plan_items" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "work_plan_items_open_idx" ON "work_plan_items" USING btree ("planned_on") WHERE "work_plan_items"."status" = 'planned';--> statement-breakpoint
CREATE UNIQUE INDEX "work_plans_manager_period_uq" ON "work_plans" USING btree ("manager_id","period","starts_on");--> statement-breakpoint
CREATE INDEX "work_plans_status_idx" ON "work_plans" USING btree ("status","starts_on");--> statement-breakpoint
CREATE INDEX "customers_portfolio_idx" ON "customers" USING btree ("manager_id","id") WHERE "customers"."merged_into" IS NULL AND "customers"."archive" = 'in_network';--> statement-breakpoint
CREATE INDEX "service_requests_customer_open_idx" ON "service_requests" USING btree ("customer_id") WHERE "service_requests"."status" NOT IN ('resolved', 'closed');