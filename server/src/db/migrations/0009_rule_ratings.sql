-- 评级结果: what a monthly run found for each customer (star or group class, the level after the grace
-- period, credit score and grade, points) with the inputs that produced it, so that the customer page
-- can explain every value. Partitioned by month: a rollback or rerun empties one month's partition.
CREATE TABLE customer_ratings (
  month date NOT NULL,
  customer_id bigint NOT NULL,
  run_id bigint NOT NULL,
  kind text NOT NULL,
  computed_level text NOT NULL,      -- what the rules give this month (unrated, 1…5d, A/B/C)
  level text NOT NULL,               -- the level in force after the downgrade grace period
  prev_level text,
  below_months integer NOT NULL DEFAULT 0,
  prev_below integer NOT NULL,       -- below_months of the previous rating …
  gap integer NOT NULL,              -- … and the months since it (with the inputs, a preview can reclassify)
  unrated_reason text,               -- tenure | real_name | blacklist
  avg_paid numeric(14,2) NOT NULL,   -- average monthly paid bill over the star window
  avg_revenue numeric(14,2) NOT NULL, -- average monthly billed revenue over the group window
  paid numeric(14,2) NOT NULL,       -- paid bill of the month (points are earned on it)
  arrears numeric(14,2) NOT NULL,    -- arrears at the end of the month
  tenure_months integer NOT NULL,
  real_name boolean NOT NULL,
  arrears_months integer NOT NULL,   -- months of the window that ended in arrears
  -- the window totals, carried to the next month's run, which moves them by one month instead of
  -- reading the whole window of facts again
  paid_window numeric(14,2) NOT NULL,   -- paid over the star window
  billed_window numeric(14,2) NOT NULL, -- billed over the group window
  arrears_mask integer NOT NULL,        -- bit k: month M−k ended in arrears
  suspended_subs integer NOT NULL,
  members integer NOT NULL,
  strategic boolean NOT NULL,
  credit_score integer NOT NULL,
  credit_grade text NOT NULL,
  overdraft_limit numeric(14,2) NOT NULL,
  suspend_grace_days integer NOT NULL,
  points_earned integer NOT NULL,
  points_promo integer NOT NULL,
  points_expired integer NOT NULL,
  CONSTRAINT customer_ratings_month_first CHECK (month = date_trunc('month', month)::date),
  -- customer first: one index serves a month's partition and a customer's history across months
  PRIMARY KEY (customer_id, month)
) PARTITION BY RANGE (month);
--> statement-breakpoint
-- Creates the partition of one month of a table partitioned by month if it is missing (parent_YYYYMM).
CREATE OR REPLACE FUNCTION ensure_month_partition(parent text, m date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', m)::date;
  part text := parent || '_' || to_char(first, 'YYYYMM');
BEGIN
  IF to_regclass(part) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   part, parent, first, (first + interval '1 month')::date);
  END IF;
  RETURN part;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ensure_fact_partition(m date) RETURNS text
LANGUAGE sql AS $$ SELECT ensure_month_partition('monthly_facts', m) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ensure_rating_partition(m date) RETURNS text
LANGUAGE sql AS $$ SELECT ensure_month_partition('customer_ratings', m) $$;
