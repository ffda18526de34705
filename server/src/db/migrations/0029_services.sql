CREATE TABLE "appointment_resources" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "appointment_resources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"unit_id" bigint NOT NULL,
	"user_id" bigint,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointment_slots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "appointment_slots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"resource_id" bigint NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"booked" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointment_slots_capacity" CHECK ("appointment_slots"."capacity" > 0 AND "appointment_slots"."booked" BETWEEN 0 AND "appointment_slots"."capacity"),
	CONSTRAINT "appointment_slots_window" CHECK ("appointment_slots"."ends_at" > "appointment_slots"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "appointments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"slot_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"purpose" text NOT NULL,
	"note" text,
	"booked_by" bigint,
	"reminded_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fee_waivers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fee_waivers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"month" date NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"code" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text,
	"entity" text,
	"entity_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outage_customers" (
	"outage_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"notified_at" timestamp with time zone,
	CONSTRAINT "outage_customers_outage_id_customer_id_pk" PRIMARY KEY("outage_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbound_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel" text NOT NULL,
	"recipient_enc" text NOT NULL,
	"recipient_masked" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"dedupe_key" text,
	"entity" text,
	"entity_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "partner_confirmations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "partner_confirmations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"partner_id" bigint NOT NULL,
	"partner_txn_id" text NOT NULL,
	"verification_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"benefit" text NOT NULL,
	"quantity" integer NOT NULL,
	"usage_id" bigint,
	"answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_credentials" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "partner_credentials_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"partner_id" bigint NOT NULL,
	"key_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"label" text,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" bigint
);
--> statement-breakpoint
CREATE TABLE "partner_verifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "partner_verifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"partner_id" bigint NOT NULL,
	"customer_id" bigint,
	"method" text NOT NULL,
	"customer_label" text,
	"code_hash" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "partners_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"industry" text NOT NULL,
	"unit_id" bigint NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"benefits" text[] DEFAULT '{}'::text[] NOT NULL,
	"verify_by_member_no" boolean DEFAULT false NOT NULL,
	"rate_limit_per_minute" integer DEFAULT 600 NOT NULL,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partners_rate_limit" CHECK ("partners"."rate_limit_per_minute" BETWEEN 1 AND 1000000)
);
--> statement-breakpoint
CREATE TABLE "planned_outages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "planned_outages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"description" text,
	"kind" text NOT NULL,
	"area_unit_id" bigint NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"needs_approval" boolean DEFAULT true NOT NULL,
	"submitted_by" bigint,
	"submitted_at" timestamp with time zone,
	"approved_by" bigint,
	"approved_at" timestamp with time zone,
	"decision_note" text,
	"created_by" bigint,
	"notified_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"completed_at" timestamp with time zone,
	"affected_count" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "planned_outages_window" CHECK ("planned_outages"."ends_at" > "planned_outages"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "service_request_attachments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_request_attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" bigint NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_request_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_request_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"body" text,
	"visibility" text DEFAULT 'internal' NOT NULL,
	"detail" jsonb,
	"actor_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_no" text NOT NULL,
	"customer_id" bigint NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"channel" text NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"area_kind" text DEFAULT 'town' NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"home_unit_id" bigint NOT NULL,
	"raised_unit_id" bigint NOT NULL,
	"handling_unit_id" bigint NOT NULL,
	"cross_region" boolean DEFAULT false NOT NULL,
	"owner_id" bigint,
	"created_by" bigint,
	"sla_policy_id" bigint,
	"clock" text DEFAULT 'calendar' NOT NULL,
	"respond_due_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"sla_state" text DEFAULT 'ok' NOT NULL,
	"warned_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"resolve_breached_at" timestamp with time zone,
	"breach_reason" text,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_surveys" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_surveys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"score" integer,
	"comment" text,
	"complaint" boolean DEFAULT false NOT NULL,
	"answered_by" bigint,
	CONSTRAINT "service_surveys_score" CHECK ("service_surveys"."score" IS NULL OR "service_surveys"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sla_policies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_type" text NOT NULL,
	"level" text,
	"area_kind" text,
	"respond_minutes" integer NOT NULL,
	"resolve_minutes" integer NOT NULL,
	"clock" text DEFAULT 'calendar' NOT NULL,
	"warn_percent" integer DEFAULT 80 NOT NULL,
	"waives_fee" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_positive" CHECK ("sla_policies"."respond_minutes" > 0 AND "sla_policies"."resolve_minutes" >= "sla_policies"."respond_minutes"),
	CONSTRAINT "sla_policies_warn_percent" CHECK ("sla_policies"."warn_percent" BETWEEN 1 AND 99)
);
--> statement-breakpoint
CREATE TABLE "solution_bundle_items" (
	"bundle_id" bigint NOT NULL,
	"product_id" bigint NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "solution_bundle_items_bundle_id_product_id_pk" PRIMARY KEY("bundle_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "solution_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "solution_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"solution_id" bigint NOT NULL,
	"product_id" bigint NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"monthly_fee" numeric(14, 2) NOT NULL,
	CONSTRAINT "solution_items_quantity" CHECK ("solution_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "solution_products" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "solution_products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"monthly_fee" numeric(14, 2) NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solutions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "solutions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"expected_monthly_revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"lost_reason" text,
	"owner_id" bigint,
	"proposed_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "appointment_resources_unit_idx" ON "appointment_resources" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appointment_slots_resource_start_uq" ON "appointment_slots" USING btree ("resource_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointment_slots_start_idx" ON "appointment_slots" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "appointments_slot_idx" ON "appointments" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "appointments_customer_idx" ON "appointments" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fee_waivers_request_uq" ON "fee_waivers" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "fee_waivers_customer_idx" ON "fee_waivers" USING btree ("customer_id","month");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outage_customers_customer_idx" ON "outage_customers" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_messages_dedupe_uq" ON "outbound_messages" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbound_messages_pending_idx" ON "outbound_messages" USING btree ("next_attempt_at") WHERE "outbound_messages"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbound_messages_entity_idx" ON "outbound_messages" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_confirmations_txn_uq" ON "partner_confirmations" USING btree ("partner_id","partner_txn_id");--> statement-breakpoint
CREATE INDEX "partner_confirmations_partner_idx" ON "partner_confirmations" USING btree ("partner_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_credentials_key_uq" ON "partner_credentials" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "partner_credentials_partner_idx" ON "partner_credentials" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "partner_verifications_customer_idx" ON "partner_verifications" USING btree ("partner_id","customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_code_uq" ON "partners" USING btree ("code");--> statement-breakpoint
CREATE INDEX "partners_unit_idx" ON "partners" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "planned_outages_area_idx" ON "planned_outages" USING btree ("area_unit_id","starts_at");--> statement-breakpoint
CREATE INDEX "planned_outages_status_idx" ON "planned_outages" USING btree ("status","starts_at");--> statement-breakpoint
CREATE INDEX "service_request_attachments_request_idx" ON "service_request_attachments" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "service_request_events_request_idx" ON "service_request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_requests_no_uq" ON "service_requests" USING btree ("request_no");--> statement-breakpoint
CREATE INDEX "service_requests_customer_idx" ON "service_requests" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "service_requests_handling_open_idx" ON "service_requests" USING btree ("handling_unit_id","created_at") WHERE "service_requests"."status" NOT IN ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "service_requests_raised_open_idx" ON "service_requests" USING btree ("raised_unit_id","created_at") WHERE "service_requests"."status" NOT IN ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "service_requests_home_open_idx" ON "service_requests" USING btree ("home_unit_id","created_at") WHERE "service_requests"."status" NOT IN ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "service_requests_owner_idx" ON "service_requests" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "service_requests_due_idx" ON "service_requests" USING btree ("resolve_due_at") WHERE "service_requests"."status" IN ('new', 'accepted', 'in_progress') AND "service_requests"."resolve_breached_at" IS NULL;--> statement-breakpoint
CREATE INDEX "service_requests_handling_idx" ON "service_requests" USING btree ("handling_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "service_requests_warn_idx" ON "service_requests" USING btree ("warn_at") WHERE "service_requests"."sla_state" = 'ok' AND "service_requests"."status" IN ('new', 'accepted', 'in_progress');--> statement-breakpoint
CREATE INDEX "service_requests_respond_idx" ON "service_requests" USING btree ("respond_due_at") WHERE "service_requests"."responded_at" IS NULL AND "service_requests"."status" = 'new' AND "service_requests"."sla_state" <> 'breached';--> statement-breakpoint
CREATE UNIQUE INDEX "service_surveys_request_uq" ON "service_surveys" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_scope_uq" ON "sla_policies" USING btree ("request_type",coalesce("level", ''),coalesce("area_kind", ''));--> statement-breakpoint
CREATE INDEX "solution_items_solution_idx" ON "solution_items" USING btree ("solution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "solution_products_code_uq" ON "solution_products" USING btree ("code");--> statement-breakpoint
CREATE INDEX "solutions_customer_idx" ON "solutions" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "solutions_owner_idx" ON "solutions" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "solutions_status_idx" ON "solutions" USING btree ("status","updated_at");