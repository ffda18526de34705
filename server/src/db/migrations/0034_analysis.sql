-- 大客户服务数据综合分析 and 指标体系 (DOMAIN.md §6, §9; issue 16): saved queries, target groups (segments) and
-- campaigns; the churn models and scores; the administrators' indicators and the monthly analysis rollups with
-- their refresh functions (modules/analysis).
CREATE TABLE "analysis_campaign_members" (
	"campaign_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"manager_id" bigint,
	"response" text,
	"responded_at" timestamp with time zone,
	"recorded_by" bigint,
	"note" text,
	CONSTRAINT "analysis_campaign_members_campaign_id_customer_id_pk" PRIMARY KEY("campaign_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "analysis_campaigns" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analysis_campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"channel" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"offer" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"segment_id" bigint,
	"owner_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_saved_queries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analysis_saved_queries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"tree" jsonb NOT NULL,
	"owner_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_segment_members" (
	"segment_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	CONSTRAINT "analysis_segment_members_segment_id_customer_id_pk" PRIMARY KEY("segment_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "analysis_segments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analysis_segments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"query_id" bigint,
	"tree" jsonb NOT NULL,
	"mode" text DEFAULT 'live' NOT NULL,
	"frozen_at" timestamp with time zone,
	"frozen_size" integer,
	"owner_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "churn_models" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "churn_models_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"features" text[] NOT NULL,
	"means" double precision[] NOT NULL,
	"sds" double precision[] NOT NULL,
	"coefficients" double precision[] NOT NULL,
	"intercept" double precision NOT NULL,
	"train_from" date NOT NULL,
	"train_to" date NOT NULL,
	"validation_month" date NOT NULL,
	"horizon_months" integer NOT NULL,
	"high_threshold" double precision NOT NULL,
	"medium_threshold" double precision NOT NULL,
	"figures" jsonb NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "churn_scores" (
	"month" date NOT NULL,
	"customer_id" bigint NOT NULL,
	"model_id" bigint NOT NULL,
	"score" double precision NOT NULL,
	"band" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "churn_scores_month_customer_id_pk" PRIMARY KEY("month","customer_id")
);
--> statement-breakpoint
CREATE TABLE "analysis_indicators" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analysis_indicators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"group" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"definition_zh" text NOT NULL,
	"definition_en" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"formula" jsonb NOT NULL,
	"created_by" bigint,
	"updated_by" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_month_area_cube" (
	"month" date NOT NULL,
	"city_id" bigint,
	"county_id" bigint,
	"level" text,
	"industry" text,
	"brand" text,
	"archive" text NOT NULL,
	"kind" text NOT NULL,
	"customers" integer NOT NULL,
	"in_network" integer NOT NULL,
	"new_customers" integer NOT NULL,
	"lost_customers" integer NOT NULL,
	"strategic" integer NOT NULL,
	"rated" integer NOT NULL,
	"level_up" integer NOT NULL,
	"level_down" integer NOT NULL,
	"subs" integer NOT NULL,
	"billed_customers" integer NOT NULL,
	"arrears_customers" integer NOT NULL,
	"arrears_age_1" integer NOT NULL,
	"arrears_age_2_3" integer NOT NULL,
	"arrears_age_4_plus" integer NOT NULL,
	"rev_voice_fen" bigint NOT NULL,
	"rev_sms_fen" bigint NOT NULL,
	"rev_data_fen" bigint NOT NULL,
	"rev_vas_fen" bigint NOT NULL,
	"rev_roaming_fen" bigint NOT NULL,
	"billed_fen" bigint NOT NULL,
	"paid_fen" bigint NOT NULL,
	"arrears_fen" bigint NOT NULL,
	"min_local" bigint NOT NULL,
	"min_long_distance" bigint NOT NULL,
	"min_roaming" bigint NOT NULL,
	"sms_count" bigint NOT NULL,
	"data_mb" double precision NOT NULL,
	"points_earned" bigint NOT NULL,
	"points_expired" bigint NOT NULL,
	"points_redeemed" bigint NOT NULL,
	"points_balance" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_month_cube" (
	"month" date NOT NULL,
	"unit_id" bigint NOT NULL,
	"city_id" bigint,
	"county_id" bigint,
	"manager_id" bigint,
	"level" text,
	"industry" text,
	"brand" text,
	"archive" text NOT NULL,
	"kind" text NOT NULL,
	"customers" integer NOT NULL,
	"in_network" integer NOT NULL,
	"new_customers" integer NOT NULL,
	"lost_customers" integer NOT NULL,
	"strategic" integer NOT NULL,
	"rated" integer NOT NULL,
	"level_up" integer NOT NULL,
	"level_down" integer NOT NULL,
	"subs" integer NOT NULL,
	"billed_customers" integer NOT NULL,
	"arrears_customers" integer NOT NULL,
	"arrears_age_1" integer NOT NULL,
	"arrears_age_2_3" integer NOT NULL,
	"arrears_age_4_plus" integer NOT NULL,
	"rev_voice_fen" bigint NOT NULL,
	"rev_sms_fen" bigint NOT NULL,
	"rev_data_fen" bigint NOT NULL,
	"rev_vas_fen" bigint NOT NULL,
	"rev_roaming_fen" bigint NOT NULL,
	"billed_fen" bigint NOT NULL,
	"paid_fen" bigint NOT NULL,
	"arrears_fen" bigint NOT NULL,
	"min_local" bigint NOT NULL,
	"min_long_distance" bigint NOT NULL,
	"min_roaming" bigint NOT NULL,
	"sms_count" bigint NOT NULL,
	"data_mb" double precision NOT NULL,
	"points_earned" bigint NOT NULL,
	"points_expired" bigint NOT NULL,
	"points_redeemed" bigint NOT NULL,
	"points_balance" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_month_manager_cube" (
	"month" date NOT NULL,
	"unit_id" bigint NOT NULL,
	"city_id" bigint,
	"county_id" bigint,
	"manager_id" bigint,
	"level" text,
	"archive" text NOT NULL,
	"kind" text NOT NULL,
	"customers" integer NOT NULL,
	"in_network" integer NOT NULL,
	"new_customers" integer NOT NULL,
	"lost_customers" integer NOT NULL,
	"strategic" integer NOT NULL,
	"rated" integer NOT NULL,
	"level_up" integer NOT NULL,
	"level_down" integer NOT NULL,
	"subs" integer NOT NULL,
	"billed_customers" integer NOT NULL,
	"arrears_customers" integer NOT NULL,
	"arrears_age_1" integer NOT NULL,
	"arrears_age_2_3" integer NOT NULL,
	"arrears_age_4_plus" integer NOT NULL,
	"rev_voice_fen" bigint NOT NULL,
	"rev_sms_fen" bigint NOT NULL,
	"rev_data_fen" bigint NOT NULL,
	"rev_vas_fen" bigint NOT NULL,
	"rev_roaming_fen" bigint NOT NULL,
	"billed_fen" bigint NOT NULL,
	"paid_fen" bigint NOT NULL,
	"arrears_fen" bigint NOT NULL,
	"min_local" bigint NOT NULL,
	"min_long_distance" bigint NOT NULL,
	"min_roaming" bigint NOT NULL,
	"sms_count" bigint NOT NULL,
	"data_mb" double precision NOT NULL,
	"points_earned" bigint NOT NULL,
	"points_expired" bigint NOT NULL,
	"points_redeemed" bigint NOT NULL,
	"points_balance" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analysis_campaign_members_customer_idx" ON "analysis_campaign_members" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "analysis_campaigns_unit_idx" ON "analysis_campaigns" USING btree ("unit_id","starts_on");--> statement-breakpoint
CREATE INDEX "analysis_saved_queries_owner_idx" ON "analysis_saved_queries" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "analysis_saved_queries_unit_idx" ON "analysis_saved_queries" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "analysis_segments_unit_idx" ON "analysis_segments" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "churn_scores_month_band_idx" ON "churn_scores" USING btree ("month","band","score");--> statement-breakpoint
CREATE INDEX "churn_scores_customer_idx" ON "churn_scores" USING btree ("customer_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_indicators_code_uq" ON "analysis_indicators" USING btree ("code");--> statement-breakpoint
CREATE INDEX "analysis_month_area_cube_month_idx" ON "analysis_month_area_cube" USING btree ("month","city_id","county_id");--> statement-breakpoint
CREATE INDEX "analysis_month_cube_month_idx" ON "analysis_month_cube" USING btree ("month","unit_id");--> statement-breakpoint
CREATE INDEX "analysis_month_manager_cube_month_idx" ON "analysis_month_manager_cube" USING btree ("month","manager_id");--> statement-breakpoint
CREATE TABLE "analysis_stale_months" (
	"month" date PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
-- 地市/区县 of every unit: its ancestors-or-self of kind city and county, read from the materialised path
-- (the ids of the path, by key, as servedAreaPath in platform/auth/scope.ts does). A view, so a moved unit
-- needs nothing refreshed; the rollup stores the ids it found when a month was rebuilt.
CREATE OR REPLACE VIEW analysis_unit_areas AS
SELECT o.id AS unit_id, o.path,
       (SELECT a.id FROM org_units a WHERE a.id = ANY(string_to_array(trim(both '/' from o.path), '/')::bigint[]) AND a.kind = 'city' LIMIT 1) AS city_id,
       (SELECT a.id FROM org_units a WHERE a.id = ANY(string_to_array(trim(both '/' from o.path), '/')::bigint[]) AND a.kind = 'county' LIMIT 1) AS county_id
FROM org_units o;
--> statement-breakpoint
-- The narrower rollups of one month, from its rows of analysis_month_cube: by city and county only (what a
-- province's or a city's figures read) and by manager without industry and brand (the manager cut).
CREATE OR REPLACE FUNCTION refresh_analysis_narrow(m date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', m)::date;
BEGIN
  DELETE FROM analysis_month_area_cube WHERE month = first;
  INSERT INTO analysis_month_area_cube (month, city_id, county_id, level, industry, brand, archive, kind,
    customers, in_network, new_customers, lost_customers, strategic, rated, level_up, level_down, subs, billed_customers, arrears_customers, arrears_age_1, arrears_age_2_3, arrears_age_4_plus, rev_voice_fen, rev_sms_fen, rev_data_fen, rev_vas_fen, rev_roaming_fen, billed_fen, paid_fen, arrears_fen, min_local, min_long_distance, min_roaming, sms_count, data_mb, points_earned, points_expired, points_redeemed, points_balance)
  SELECT month, city_id, county_id, level, industry, brand, archive, kind,
         sum(customers), sum(in_network), sum(new_customers), sum(lost_customers), sum(strategic), sum(rated), sum(level_up), sum(level_down), sum(subs), sum(billed_customers), sum(arrears_customers), sum(arrears_age_1), sum(arrears_age_2_3), sum(arrears_age_4_plus), sum(rev_voice_fen), sum(rev_sms_fen), sum(rev_data_fen), sum(rev_vas_fen), sum(rev_roaming_fen), sum(billed_fen), sum(paid_fen), sum(arrears_fen), sum(min_local), sum(min_long_distance), sum(min_roaming), sum(sms_count), sum(data_mb), sum(points_earned), sum(points_expired), sum(points_redeemed), sum(points_balance)
  FROM analysis_month_cube WHERE month = first
  GROUP BY month, city_id, county_id, level, industry, brand, archive, kind;
  DELETE FROM analysis_month_manager_cube WHERE month = first;
  INSERT INTO analysis_month_manager_cube (month, unit_id, city_id, county_id, manager_id, level, archive, kind,
    customers, in_network, new_customers, lost_customers, strategic, rated, level_up, level_down, subs, billed_customers, arrears_customers, arrears_age_1, arrears_age_2_3, arrears_age_4_plus, rev_voice_fen, rev_sms_fen, rev_data_fen, rev_vas_fen, rev_roaming_fen, billed_fen, paid_fen, arrears_fen, min_local, min_long_distance, min_roaming, sms_count, data_mb, points_earned, points_expired, points_redeemed, points_balance)
  SELECT month, unit_id, city_id, county_id, manager_id, level, archive, kind,
         sum(customers), sum(in_network), sum(new_customers), sum(lost_customers), sum(strategic), sum(rated), sum(level_up), sum(level_down), sum(subs), sum(billed_customers), sum(arrears_customers), sum(arrears_age_1), sum(arrears_age_2_3), sum(arrears_age_4_plus), sum(rev_voice_fen), sum(rev_sms_fen), sum(rev_data_fen), sum(rev_vas_fen), sum(rev_roaming_fen), sum(billed_fen), sum(paid_fen), sum(arrears_fen), sum(min_local), sum(min_long_distance), sum(min_roaming), sum(sms_count), sum(data_mb), sum(points_earned), sum(points_expired), sum(points_redeemed), sum(points_balance)
  FROM analysis_month_cube WHERE month = first
  GROUP BY month, unit_id, city_id, county_id, manager_id, level, archive, kind;
END
$$;
--> statement-breakpoint
-- Rebuilds one month of analysis_month_cube from the month's facts, ratings, points and the customers'
-- current profile: set-based, delete + insert in the caller's transaction (a function runs in one). Called
-- after a facts import of the month, after the month's rules run, by the demo loader and by an
-- administrator ("rebuild month"); then the month's narrower rollups from those. Returns the rows written
-- to analysis_month_cube.
CREATE OR REPLACE FUNCTION refresh_analysis_month(m date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', m)::date;
  next date := (date_trunc('month', m) + interval '1 month')::date;
  start_ts timestamptz := (date_trunc('month', m)::timestamp AT TIME ZONE 'Asia/Shanghai');
  end_ts timestamptz := ((date_trunc('month', m) + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai');
  written integer;
BEGIN
  DELETE FROM analysis_month_cube WHERE month = first;
  INSERT INTO analysis_month_cube (month, unit_id, city_id, county_id, manager_id, level, industry, brand, archive, kind,
    customers, in_network, new_customers, lost_customers, strategic, rated, level_up, level_down,
    subs, billed_customers, arrears_customers, arrears_age_1, arrears_age_2_3, arrears_age_4_plus,
    rev_voice_fen, rev_sms_fen, rev_data_fen, rev_vas_fen, rev_roaming_fen, billed_fen, paid_fen, arrears_fen,
    min_local, min_long_distance, min_roaming, sms_count, data_mb,
    points_earned, points_expired, points_redeemed, points_balance)
  WITH f AS (
    SELECT customer_id, count(*) AS subs,
           (sum(rev_voice) * 100)::bigint AS rv, (sum(rev_sms) * 100)::bigint AS rs, (sum(rev_data) * 100)::bigint AS rd,
           (sum(rev_vas) * 100)::bigint AS ra, (sum(rev_roaming) * 100)::bigint AS rr,
           (sum(billed) * 100)::bigint AS billed, (sum(paid) * 100)::bigint AS paid, (sum(arrears) * 100)::bigint AS arrears,
           sum(min_local) AS ml, sum(min_long_distance) AS md, sum(min_roaming) AS mr, sum(sms_count) AS sms, sum(data_mb)::float8 AS mb
    FROM monthly_facts WHERE month = first GROUP BY customer_id
  ), r AS (
    SELECT customer_id, level, arrears > 0 AS owing, arrears_months, points_earned + points_promo AS earned, points_expired,
           -- level migration: the levels in order within each kind (stars, then group classes)
           sign(coalesce(array_position('{1,2,3,4,5s,5g,5d}'::text[], level), array_position('{C,B,A}'::text[], level), 0)
              - coalesce(array_position('{1,2,3,4,5s,5g,5d}'::text[], prev_level), array_position('{C,B,A}'::text[], prev_level), 0))
             * (prev_level IS NOT NULL)::int AS moved
    FROM customer_ratings WHERE month = first
  ), g AS (
    -- the run's entries (earn, promo, expire) count in their run month; redemptions and adjustments when made
    SELECT customer_id,
           coalesce(-sum(points) FILTER (WHERE kind = 'redeem' AND at >= start_ts AND at < end_ts), 0) AS redeemed,
           sum(points) AS balance
    FROM points_ledger
    WHERE (month IS NOT NULL AND month <= first) OR (month IS NULL AND at < end_ts)
    GROUP BY customer_id
  ), x AS (
    SELECT c.unit_id, c.manager_id, r.level, c.industry, c.brand, c.kind,
           CASE WHEN c.archive = 'retained' AND (c.archived_on IS NULL OR c.archived_on < next) THEN 'retained' ELSE 'in_network' END AS archive_m,
           coalesce(c.joined_on, first) < next AS joined,
           c.joined_on >= first AND c.joined_on < next AS is_new,
           c.archive = 'retained' AND c.archived_on >= first AND c.archived_on < next AS is_lost,
           c.strategic, r.customer_id IS NOT NULL AS rated, r.moved, r.owing, r.arrears_months, r.earned, r.points_expired,
           f.subs, f.rv, f.rs, f.rd, f.ra, f.rr, f.billed, f.paid, f.arrears, f.ml, f.md, f.mr, f.sms, f.mb, g.redeemed, g.balance
    FROM customers c
    LEFT JOIN f ON f.customer_id = c.id
    LEFT JOIN r ON r.customer_id = c.id
    LEFT JOIN g ON g.customer_id = c.id
    -- on file in the month: billed in it, or (not merged away) joined by its end and in network or lost in it
    WHERE f.customer_id IS NOT NULL
       OR (c.merged_into IS NULL AND coalesce(c.joined_on, first) < next AND (c.archive = 'in_network' OR c.archived_on >= first))
  )
  SELECT first, x.unit_id, u.city_id, u.county_id, x.manager_id, x.level, x.industry, x.brand, x.archive_m, x.kind,
         count(*),
         count(*) FILTER (WHERE x.archive_m = 'in_network' AND x.joined),
         count(*) FILTER (WHERE x.is_new),
         count(*) FILTER (WHERE x.is_lost),
         count(*) FILTER (WHERE x.strategic AND x.archive_m = 'in_network' AND x.joined),
         count(*) FILTER (WHERE x.rated),
         count(*) FILTER (WHERE x.moved > 0),
         count(*) FILTER (WHERE x.moved < 0),
         coalesce(sum(x.subs), 0),
         count(*) FILTER (WHERE x.billed > 0),
         count(*) FILTER (WHERE x.arrears > 0),
         count(*) FILTER (WHERE x.owing AND x.arrears_months = 1),
         count(*) FILTER (WHERE x.owing AND x.arrears_months BETWEEN 2 AND 3),
         count(*) FILTER (WHERE x.owing AND x.arrears_months >= 4),
         coalesce(sum(x.rv), 0), coalesce(sum(x.rs), 0), coalesce(sum(x.rd), 0), coalesce(sum(x.ra), 0), coalesce(sum(x.rr), 0),
         coalesce(sum(x.billed), 0), coalesce(sum(x.paid), 0), coalesce(sum(x.arrears), 0),
         coalesce(sum(x.ml), 0), coalesce(sum(x.md), 0), coalesce(sum(x.mr), 0), coalesce(sum(x.sms), 0), coalesce(sum(x.mb), 0),
         coalesce(sum(x.earned), 0), coalesce(sum(x.points_expired), 0), coalesce(sum(x.redeemed), 0), coalesce(sum(x.balance), 0)
  FROM x JOIN analysis_unit_areas u ON u.unit_id = x.unit_id
  GROUP BY x.unit_id, u.city_id, u.county_id, x.manager_id, x.level, x.industry, x.brand, x.archive_m, x.kind;
  GET DIAGNOSTICS written = ROW_COUNT;
  PERFORM refresh_analysis_narrow(first);
  RETURN written;
END
$$;
--> statement-breakpoint
-- the months already loaded
SELECT refresh_analysis_month(month) FROM (SELECT DISTINCT month FROM customer_month_totals) k;
