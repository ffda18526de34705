-- 经理工作台: the level a customer had before the latest completed run, beside the level it has now, in its
-- standing and in the portfolio's index, so that a manager's level changes come from that one index range (with the
-- standings' other figures) instead of a look-up of the month's rating for each customer of the portfolio.
ALTER TABLE customer_standings ADD COLUMN prev_level text;
--> statement-breakpoint
DROP INDEX customer_standings_portfolio_idx;
--> statement-breakpoint
CREATE INDEX customer_standings_portfolio_idx ON customer_standings (manager_id) INCLUDE (customer_id, level, level_rank, prev_level, arrears_fen)
  WHERE archive = 'in_network';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_customer_standings() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  counted bigint;
  run bigint;
  rated date;
  totals_month date;
  storage oid;
  part regclass;
  written integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('refresh_customer_standings'));
  SELECT last_value INTO counted FROM customer_standings_changes;
  SELECT id, month INTO run, rated FROM rule_runs WHERE status = 'completed' ORDER BY month DESC, id DESC LIMIT 1;
  -- the latest month whose totals hold rows
  FOR part, totals_month IN
    SELECT c.oid::regclass, to_date(right(c.relname, 6), 'YYYYMM')
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'customer_month_totals'::regclass AND c.relname ~ '_[0-9]{6}$'
    ORDER BY 2 DESC
  LOOP
    EXECUTE format('SELECT pg_relation_filenode(%L) FROM (SELECT 1 FROM %s LIMIT 1) x', part, part) INTO storage;
    EXIT WHEN storage IS NOT NULL;
  END LOOP;
  IF storage IS NULL THEN
    totals_month := NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM customer_standings_state
             WHERE changes = counted AND run_id IS NOT DISTINCT FROM run AND totals_storage IS NOT DISTINCT FROM storage) THEN
    RETURN -1;
  END IF;
  UPDATE customer_standings s
  SET level = x.level, level_rank = x.level_rank, prev_level = x.prev_level, credit_grade = x.credit_grade, credit_score = x.credit_score,
      points = x.points, arrears_fen = x.arrears_fen
  FROM (
    SELECT s2.customer_id, r.level, r.prev_level,
           array_position(ARRAY['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A'], r.level)::smallint - 1 AS level_rank,
           r.credit_grade, r.credit_score, a.balance AS points, t.arrears_fen
    FROM customer_standings s2
    LEFT JOIN customer_ratings r ON r.customer_id = s2.customer_id AND r.month = rated
    LEFT JOIN points_accounts a ON a.customer_id = s2.customer_id
    LEFT JOIN customer_month_totals t ON t.customer_id = s2.customer_id AND t.month = totals_month
  ) x
  WHERE s.customer_id = x.customer_id
    AND (s.level, s.prev_level, s.credit_grade, s.credit_score, s.points, s.arrears_fen)
        IS DISTINCT FROM (x.level, x.prev_level, x.credit_grade, x.credit_score, x.points, x.arrears_fen);
  GET DIAGNOSTICS written = ROW_COUNT;
  INSERT INTO customer_standings_state (id, changes, run_id, totals_storage, refreshed_at)
  VALUES (1, counted, run, storage, now())
  ON CONFLICT (id) DO UPDATE SET changes = excluded.changes, run_id = excluded.run_id,
    totals_storage = excluded.totals_storage, refreshed_at = excluded.refreshed_at;
  RETURN written;
END $$;
--> statement-breakpoint
-- the next refresh writes every standing whose previous level is known
DELETE FROM customer_standings_state;
--> statement-breakpoint
SELECT refresh_customer_standings();
