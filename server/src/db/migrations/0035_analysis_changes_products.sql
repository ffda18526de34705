CREATE TABLE "analysis_group_products" (
	"customer_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"manager_id" bigint,
	"competitor" text,
	"product" text NOT NULL,
	"first_since" date,
	"products" integer NOT NULL,
	"monthly_fee" double precision
);
--> statement-breakpoint
CREATE TABLE "analysis_month_changes" (
	"month" date NOT NULL,
	"customer_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"manager_id" bigint,
	"billed_before" double precision,
	"billed_after" double precision,
	"used_before" double precision,
	"used_after" double precision,
	"spend_fall" double precision,
	"usage_fall" double precision
);
--> statement-breakpoint
CREATE TABLE "analysis_number_states" (
	"customer_id" bigint PRIMARY KEY NOT NULL,
	"unit_id" bigint NOT NULL,
	"manager_id" bigint,
	"suspended" integer NOT NULL,
	"ported_out" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_stale_current" (
	"xid" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analysis_group_products_customer_idx" ON "analysis_group_products" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "analysis_group_products_since_idx" ON "analysis_group_products" USING btree ("first_since") WHERE competitor IS NULL;--> statement-breakpoint
CREATE INDEX "subscriptions_abnormal_idx" ON "subscriptions" USING btree ("status","customer_id") WHERE status IN ('suspended', 'ported_out');
--> statement-breakpoint
-- The abnormal-changes dashboard counts one month (its summary) or one threshold over twelve (its trend) from the
-- indexes alone, with the reader's unit and manager in them: the rows of a month are a third of the customers
-- (usage moves a lot), and a bitmap scan of the heap took 1.2–1.5 s where the index-only scans take 0.1 s (the
-- job vacuums the table after a rebuild, so its pages are all-visible).
CREATE INDEX analysis_month_changes_month_idx ON analysis_month_changes (month) INCLUDE (spend_fall, usage_fall, unit_id, manager_id);
--> statement-breakpoint
CREATE INDEX analysis_month_changes_spend_idx ON analysis_month_changes (spend_fall, month) INCLUDE (unit_id, manager_id);
--> statement-breakpoint
-- 异动 of month m: the customers whose spend or usage fell more than 10 % against the month before, from a
-- month worth noticing (¥10 billed, or 10 MB/minutes used: a customer going from ¥2 to ¥1 is no news); a
-- customer without facts in m fell to 0. Usage adds megabytes and minutes (both "a unit of use" here). Both
-- months are read from the facts in one pass. Unit and manager are the customer's today, as in the cubes.
CREATE OR REPLACE FUNCTION refresh_analysis_changes(m date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  cur date := date_trunc('month', m)::date;
  prev date := (date_trunc('month', m) - interval '1 month')::date;
  written integer;
BEGIN
  DELETE FROM analysis_month_changes WHERE month = cur;
  INSERT INTO analysis_month_changes (month, customer_id, unit_id, manager_id, billed_before, billed_after, used_before, used_after, spend_fall, usage_fall)
  WITH u AS (
    SELECT customer_id,
           sum(billed) FILTER (WHERE month = prev)::float8 AS b0,
           coalesce(sum(billed) FILTER (WHERE month = cur), 0)::float8 AS b1,
           sum(data_mb + min_local + min_long_distance + min_roaming) FILTER (WHERE month = prev)::float8 AS u0,
           coalesce(sum(data_mb + min_local + min_long_distance + min_roaming) FILTER (WHERE month = cur), 0)::float8 AS u1
    FROM monthly_facts WHERE month IN (prev, cur) GROUP BY customer_id
  ), x AS (
    SELECT customer_id, b0, b1, u0, u1,
           CASE WHEN b0 >= 10 THEN 100 * (b0 - b1) / b0 END AS spend_fall,
           CASE WHEN u0 >= 10 THEN 100 * (u0 - u1) / u0 END AS usage_fall
    FROM u WHERE b0 IS NOT NULL
  )
  SELECT cur, x.customer_id, c.unit_id, c.manager_id, x.b0, x.b1, x.u0, x.u1, x.spend_fall, x.usage_fall
  FROM x JOIN customers c ON c.id = x.customer_id
  WHERE x.spend_fall > 10 OR x.usage_fall > 10;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
--> statement-breakpoint
-- A month's rollups: the cube (migration 0034), its abnormal changes, and the next month's changes, which are
-- measured against this one (unless the caller rebuilds every month in order: `next_too` false).
ALTER FUNCTION refresh_analysis_month(date) RENAME TO refresh_analysis_cube;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_analysis_month(m date, next_too boolean DEFAULT true) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  next date := (date_trunc('month', m) + interval '1 month')::date;
  written integer := refresh_analysis_cube(m);
BEGIN
  PERFORM refresh_analysis_changes(m);
  IF next_too AND EXISTS (SELECT 1 FROM customer_month_totals WHERE month = next) THEN
    PERFORM refresh_analysis_changes(next);
  END IF;
  RETURN written;
END
$$;
--> statement-breakpoint
-- The current-state rollups: group customers' products, one row per customer and product (ours: competitor NULL),
-- and the customers with numbers suspended or ported out now. Rebuilt whole (about 9 s on the large profile): the
-- marks it sees are removed first, and the statements after them read a later snapshot (READ COMMITTED, a volatile
-- function), so every change whose mark was removed is in the rebuild; DELETE rather than TRUNCATE, so that the
-- dashboards read the old rows meanwhile instead of waiting.
CREATE OR REPLACE FUNCTION refresh_analysis_current() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  products integer;
  states integer;
BEGIN
  DELETE FROM analysis_stale_current;
  DELETE FROM analysis_group_products;
  INSERT INTO analysis_group_products (customer_id, unit_id, manager_id, competitor, product, first_since, products, monthly_fee)
  SELECT p.customer_id, c.unit_id, c.manager_id, p.competitor, p.product, min(p.since), count(*), sum(p.monthly_fee)::float8
  FROM customer_products p JOIN customers c ON c.id = p.customer_id
  WHERE c.kind = 'group' AND c.merged_into IS NULL
  GROUP BY p.customer_id, c.unit_id, c.manager_id, p.competitor, p.product;
  GET DIAGNOSTICS products = ROW_COUNT;
  DELETE FROM analysis_number_states;
  INSERT INTO analysis_number_states (customer_id, unit_id, manager_id, suspended, ported_out)
  SELECT s.customer_id, c.unit_id, c.manager_id, count(*) FILTER (WHERE s.status = 'suspended'), count(*) FILTER (WHERE s.status = 'ported_out')
  FROM subscriptions s JOIN customers c ON c.id = s.customer_id
  WHERE s.status IN ('suspended', 'ported_out')
  GROUP BY s.customer_id, c.unit_id, c.manager_id;
  GET DIAGNOSTICS states = ROW_COUNT;
  RETURN products + states;
END
$$;
--> statement-breakpoint
-- A transaction that changes products, numbers' statuses, or customers' units, managers, kinds or merges, marks
-- the current-state rollups out of date: one row per transaction, so concurrent writers never wait for each
-- other's mark.
CREATE OR REPLACE FUNCTION analysis_current_mark() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analysis_stale_current (xid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER customer_products_analysis AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customer_products
  FOR EACH STATEMENT EXECUTE FUNCTION analysis_current_mark();
--> statement-breakpoint
CREATE TRIGGER subscriptions_analysis AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF status, customer_id ON subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION analysis_current_mark();
--> statement-breakpoint
CREATE TRIGGER customers_analysis AFTER UPDATE OF unit_id, manager_id, kind, merged_into ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION analysis_current_mark();
--> statement-breakpoint
SELECT refresh_analysis_changes(month) FROM (SELECT DISTINCT month FROM customer_month_totals) k;
--> statement-breakpoint
SELECT refresh_analysis_current();
