-- 评级计数: how many customers each unit holds per archive, kind, level, credit grade and whether in arrears.
-- A list by standing without a points threshold (a city's AAA customers, its five-star customers in arrears)
-- takes its exact total from here, a sum over a few hundred rows, instead of counting tens of thousands of
-- index entries on every page (a city's 56,000 AAA customers: 20–70 ms a page). Kept equal to
-- customer_standings by the statement triggers below, whoever writes them (the customers' triggers, the
-- refresh of the standings), as customer_counts is kept equal to the customers (migration 0017).
CREATE TABLE customer_standing_counts (
  unit_id bigint NOT NULL,
  archive text NOT NULL,
  kind text NOT NULL,
  level text,
  credit_grade text,
  in_arrears boolean NOT NULL,
  n bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX customer_standing_counts_key ON customer_standing_counts (unit_id, archive, kind, level, credit_grade, in_arrears) NULLS NOT DISTINCT;
--> statement-breakpoint
-- One function per kind of statement (a trigger names only the transition tables it has). An update adds +1
-- per new row and -1 per old row, summed per key: keys whose sum is 0 (a change of points, another arrears
-- amount) write nothing. In key order, so that two statements that meet on the same counts lock them alike.
CREATE FUNCTION customer_standing_counts_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_standing_counts AS t (unit_id, archive, kind, level, credit_grade, in_arrears, n)
  SELECT unit_id, archive, kind, level, credit_grade, coalesce(arrears_fen, 0) > 0, count(*) FROM new_rows
  GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (unit_id, archive, kind, level, credit_grade, in_arrears) DO UPDATE SET n = t.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION customer_standing_counts_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customer_standing_counts t SET n = t.n - d.n
  FROM (SELECT unit_id, archive, kind, level, credit_grade, coalesce(arrears_fen, 0) > 0 AS in_arrears, count(*) AS n
        FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6) d
  WHERE t.unit_id = d.unit_id AND t.archive = d.archive AND t.kind = d.kind AND t.level IS NOT DISTINCT FROM d.level
    AND t.credit_grade IS NOT DISTINCT FROM d.credit_grade AND t.in_arrears = d.in_arrears;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION customer_standing_counts_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_standing_counts AS t (unit_id, archive, kind, level, credit_grade, in_arrears, n)
  SELECT unit_id, archive, kind, level, credit_grade, in_arrears, sum(d) FROM (
    SELECT unit_id, archive, kind, level, credit_grade, coalesce(arrears_fen, 0) > 0 AS in_arrears, 1 AS d FROM new_rows
    UNION ALL
    SELECT unit_id, archive, kind, level, credit_grade, coalesce(arrears_fen, 0) > 0, -1 FROM old_rows
  ) c
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (unit_id, archive, kind, level, credit_grade, in_arrears) DO UPDATE SET n = t.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customer_standing_counts_insert AFTER INSERT ON customer_standings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standing_counts_insert();
--> statement-breakpoint
CREATE TRIGGER customer_standing_counts_update AFTER UPDATE ON customer_standings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standing_counts_update();
--> statement-breakpoint
CREATE TRIGGER customer_standing_counts_delete AFTER DELETE ON customer_standings REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_standing_counts_delete();
--> statement-breakpoint
INSERT INTO customer_standing_counts (unit_id, archive, kind, level, credit_grade, in_arrears, n)
SELECT unit_id, archive, kind, level, credit_grade, coalesce(arrears_fen, 0) > 0, count(*)
FROM customer_standings GROUP BY 1, 2, 3, 4, 5, 6;
