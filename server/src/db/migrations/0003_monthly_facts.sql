-- BOSS 经营分析数据: monthly facts per subscription, partitioned by month so that old months can be
-- detached and the table can grow to hundreds of millions of rows. Keyed by (month, subscription_id);
-- customer_id is carried for set-based work per customer (and sharding by customer on Citus).
CREATE TABLE monthly_facts (
  month date NOT NULL,
  subscription_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  rev_voice numeric(14,2) NOT NULL DEFAULT 0,
  rev_sms numeric(14,2) NOT NULL DEFAULT 0,
  rev_data numeric(14,2) NOT NULL DEFAULT 0,
  rev_vas numeric(14,2) NOT NULL DEFAULT 0,
  rev_roaming numeric(14,2) NOT NULL DEFAULT 0,
  min_local integer NOT NULL DEFAULT 0,
  min_long_distance integer NOT NULL DEFAULT 0,
  min_roaming integer NOT NULL DEFAULT 0,
  sms_count integer NOT NULL DEFAULT 0,
  data_mb numeric(14,2) NOT NULL DEFAULT 0,
  billed numeric(14,2) NOT NULL DEFAULT 0,
  paid numeric(14,2) NOT NULL DEFAULT 0,
  arrears numeric(14,2) NOT NULL DEFAULT 0,
  CONSTRAINT monthly_facts_month_first CHECK (month = date_trunc('month', month)::date),
  PRIMARY KEY (month, subscription_id)
) PARTITION BY RANGE (month);
--> statement-breakpoint
CREATE INDEX monthly_facts_customer_idx ON monthly_facts (customer_id, month);
--> statement-breakpoint
-- Creates the partition of one month if it is missing; imports and the demo generator call it.
CREATE OR REPLACE FUNCTION ensure_fact_partition(m date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', m)::date;
  part text := 'monthly_facts_' || to_char(first, 'YYYYMM');
BEGIN
  IF to_regclass(part) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF monthly_facts FOR VALUES FROM (%L) TO (%L)',
                   part, first, (first + interval '1 month')::date);
  END IF;
  RETURN part;
END
$$;
