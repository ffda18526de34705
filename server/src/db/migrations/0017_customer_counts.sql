-- 档案计数: how many customers each unit holds per archive, kind, brand and industry. An archive list
-- without a search text or a manager (a region's in-network groups, say) takes its total from here, exact,
-- by summing the rows of its units, instead of counting a city's customers for every page. Kept equal to
-- the customers by the statement triggers below, whoever writes them (forms, imports, merges, demo loads).
CREATE TABLE customer_counts (
  unit_id bigint NOT NULL,
  archive text NOT NULL,
  kind text NOT NULL,
  brand text,
  industry text,
  n bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX customer_counts_key ON customer_counts (unit_id, archive, kind, brand, industry) NULLS NOT DISTINCT;
--> statement-breakpoint
-- The change of a statement on customers: +1 per new row, -1 per old row, summed per key; keys whose sum is
-- 0 (an edit of the name, a re-import of the same values) write nothing. In key order, so that two
-- statements that meet on the same counts lock them in the same order.
CREATE OR REPLACE FUNCTION customer_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_counts AS t (unit_id, archive, kind, brand, industry, n)
    SELECT unit_id, archive, kind, brand, industry, count(*) FROM new_rows
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (unit_id, archive, kind, brand, industry) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE customer_counts t SET n = t.n - d.n
    FROM (SELECT unit_id, archive, kind, brand, industry, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4, 5) d
    WHERE t.unit_id = d.unit_id AND t.archive = d.archive AND t.kind = d.kind
      AND t.brand IS NOT DISTINCT FROM d.brand AND t.industry IS NOT DISTINCT FROM d.industry;
  ELSE
    INSERT INTO customer_counts AS t (unit_id, archive, kind, brand, industry, n)
    SELECT unit_id, archive, kind, brand, industry, sum(d) FROM (
      SELECT unit_id, archive, kind, brand, industry, 1 AS d FROM new_rows
      UNION ALL
      SELECT unit_id, archive, kind, brand, industry, -1 FROM old_rows
    ) c
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (unit_id, archive, kind, brand, industry) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customer_counts_insert AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_apply();
--> statement-breakpoint
CREATE TRIGGER customer_counts_update AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_apply();
--> statement-breakpoint
CREATE TRIGGER customer_counts_delete AFTER DELETE ON customers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_apply();
--> statement-breakpoint
INSERT INTO customer_counts (unit_id, archive, kind, brand, industry, n)
SELECT unit_id, archive, kind, brand, industry, count(*) FROM customers GROUP BY 1, 2, 3, 4, 5;
