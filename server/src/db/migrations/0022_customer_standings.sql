-- 客户评级一览: each customer's standing as the archive lists filter and sort it — level and credit grade of the
-- latest completed rules run, points balance, arrears of the latest month with facts — next to the region,
-- archive and kind it is listed by, so that "my city's five-star customers in arrears" is one range of one
-- index with its exact total, not a lookup in three tables per customer of the region.
-- Region, archive, kind and number follow the customers at once (statement triggers below). The standing
-- follows its sources through refresh_customer_standings(), which a job runs every two minutes: it does
-- nothing unless a rules run, the points or the latest month's totals changed since the last refresh, then
-- writes the rows whose standing changed (a monthly run moves most of them: about a minute of work).
CREATE TABLE customer_standings (
  customer_id bigint PRIMARY KEY,
  unit_id bigint NOT NULL,
  archive text NOT NULL,
  kind text NOT NULL,
  customer_no text NOT NULL,
  level text,              -- of the latest completed run (unrated, 1…4, 5s, 5g, 5d; group classes C, B, A)
  level_rank smallint,     -- the levels in order: unrated 0 … 5d 7, then C 8, B 9, A 10
  credit_grade text,
  credit_score integer,    -- orders the grades
  points integer,          -- the balance of the points account
  arrears_fen bigint       -- arrears at the end of the latest month with facts, in fen
) WITH (fillfactor = 90);
--> statement-breakpoint
CREATE INDEX customer_standings_list_idx ON customer_standings (unit_id, archive, level, credit_grade)
  INCLUDE (kind, customer_no, level_rank, credit_score, points, arrears_fen);
--> statement-breakpoint
CREATE FUNCTION customer_standings_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_standings (customer_id, unit_id, archive, kind, customer_no)
    SELECT id, unit_id, archive, kind, customer_no FROM new_rows ORDER BY id;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE customer_standings s SET unit_id = n.unit_id, archive = n.archive, kind = n.kind, customer_no = n.customer_no
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE s.customer_id = n.id
      AND (n.unit_id, n.archive, n.kind, n.customer_no) IS DISTINCT FROM (o.unit_id, o.archive, o.kind, o.customer_no);
  ELSE
    DELETE FROM customer_standings s USING old_rows o WHERE s.customer_id = o.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customer_standings_insert AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standings_follow();
--> statement-breakpoint
CREATE TRIGGER customer_standings_update AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standings_follow();
--> statement-breakpoint
CREATE TRIGGER customer_standings_delete AFTER DELETE ON customers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standings_follow();
--> statement-breakpoint
-- Changes of the points and of the monthly totals are counted (a sequence: no lock, no wait for writers) for
-- the refresh to notice them; statements that write a month's totals partition directly (refresh_month_totals,
-- the direct facts load) change its storage, which the refresh notices too.
CREATE SEQUENCE customer_standings_changes;
--> statement-breakpoint
CREATE FUNCTION customer_standings_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('customer_standings_changes');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customer_standings_points AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON points_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standings_touch();
--> statement-breakpoint
CREATE TRIGGER customer_standings_totals AFTER INSERT OR UPDATE OR DELETE ON customer_month_totals
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standings_touch();
--> statement-breakpoint
-- What the standings were last refreshed from: the changes counted, the latest completed run, the storage of
-- the latest month's totals.
CREATE TABLE customer_standings_state (
  id integer PRIMARY KEY CHECK (id = 1),
  changes bigint NOT NULL,
  run_id bigint,
  totals_storage oid,
  refreshed_at timestamptz NOT NULL
);
--> statement-breakpoint
-- Brings the standings up to date with their sources; answers the rows written, or -1 when nothing changed
-- since the last refresh (one at a time: a second caller waits for the first, then finds nothing to do).
CREATE FUNCTION refresh_customer_standings() RETURNS integer
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
  SET level = x.level, level_rank = x.level_rank, credit_grade = x.credit_grade, credit_score = x.credit_score,
      points = x.points, arrears_fen = x.arrears_fen
  FROM (
    SELECT s2.customer_id, r.level,
           array_position(ARRAY['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A'], r.level)::smallint - 1 AS level_rank,
           r.credit_grade, r.credit_score, a.balance AS points, t.arrears_fen
    FROM customer_standings s2
    LEFT JOIN customer_ratings r ON r.customer_id = s2.customer_id AND r.month = rated
    LEFT JOIN points_accounts a ON a.customer_id = s2.customer_id
    LEFT JOIN customer_month_totals t ON t.customer_id = s2.customer_id AND t.month = totals_month
  ) x
  WHERE s.customer_id = x.customer_id
    AND (s.level, s.credit_grade, s.credit_score, s.points, s.arrears_fen)
        IS DISTINCT FROM (x.level, x.credit_grade, x.credit_score, x.points, x.arrears_fen);
  GET DIAGNOSTICS written = ROW_COUNT;
  INSERT INTO customer_standings_state (id, changes, run_id, totals_storage, refreshed_at)
  VALUES (1, counted, run, storage, now())
  ON CONFLICT (id) DO UPDATE SET changes = excluded.changes, run_id = excluded.run_id,
    totals_storage = excluded.totals_storage, refreshed_at = excluded.refreshed_at;
  RETURN written;
END $$;
--> statement-breakpoint
INSERT INTO customer_standings (customer_id, unit_id, archive, kind, customer_no)
SELECT id, unit_id, archive, kind, customer_no FROM customers ORDER BY id;
--> statement-breakpoint
SELECT refresh_customer_standings();
--> statement-breakpoint
ANALYZE customer_standings;
