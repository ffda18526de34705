-- 工单编号: SR + the day (Asia/Shanghai) + a number from one sequence, unique across server instances.
CREATE SEQUENCE service_request_no_seq;
--> statement-breakpoint
-- The default SLA policies of the 2011 customer service standard (客户服务标准), editable by an administrator:
-- faults repaired within 48 h in towns and 72 h in rural areas (a breach waives the month's fee for the
-- outage); complaints answered within 15 days; reconnection after payment and service changes within 24 h.
-- Minutes; business clocks count 09:00–18:00 on working days (services/sla/clock.ts).
INSERT INTO sla_policies (request_type, level, area_kind, respond_minutes, resolve_minutes, clock, warn_percent, waives_fee, note) VALUES
  ('fault', NULL, 'town', 60, 2880, 'calendar', 75, true, '城镇故障 48 小时内修复（客户服务标准 2011）'),
  ('fault', NULL, 'rural', 120, 4320, 'calendar', 75, true, '农村故障 72 小时内修复（客户服务标准 2011）'),
  ('fault', '5d', NULL, 30, 1440, 'calendar', 75, true, '五星钻客户故障 24 小时内修复'),
  ('complaint', NULL, NULL, 1440, 21600, 'calendar', 80, false, '投诉 15 日内答复（电信用户申诉处理办法）'),
  ('payment', NULL, NULL, 60, 1440, 'calendar', 80, false, '缴费后 24 小时内恢复通信'),
  ('plan_change', NULL, NULL, 60, 1440, 'calendar', 80, false, '业务变更默认 24 小时内完成'),
  ('sim_replacement', NULL, NULL, 30, 1440, 'calendar', 80, false, '补卡 24 小时内完成'),
  ('consultation', NULL, NULL, 60, 1080, 'business', 80, false, '咨询 2 个工作日内答复'),
  ('bill_query', NULL, NULL, 60, 1620, 'business', 80, false, '账单查询 3 个工作日内答复'),
  ('repair', NULL, NULL, 240, 4320, 'calendar', 80, false, '终端维修 3 日内完成'),
  ('network_transfer', NULL, NULL, 240, 2700, 'business', 80, false, '转网 5 个工作日内办结');
--> statement-breakpoint
-- 工单计数: the requests each unit counts, per status, SLA state and type, so that a unit's list (a city's open
-- requests, say) takes its total by summing the rows of its subtree instead of counting tens of thousands of
-- requests on every page. A request belongs to up to three units (raised, home, handling: 跨地区服务) and must
-- count once in any subtree holding one or more of them: each of its distinct units weighs +1 and, taken in
-- tree order, the lowest common ancestor of each two neighbours −1, so that the weights of any subtree add up
-- to 1 when it holds one of the units and to 0 otherwise. Kept by the statement triggers below.
CREATE TABLE service_request_counts (
  unit_id bigint NOT NULL,
  status text NOT NULL,
  sla_state text NOT NULL,
  type text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (unit_id, status, sla_state, type)
);
--> statement-breakpoint
CREATE FUNCTION service_request_unit_weights(a bigint, b bigint, c bigint) RETURNS TABLE (weighted_unit bigint, weight integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF a = b AND b = c THEN
    RETURN QUERY SELECT a, 1;
    RETURN;
  END IF;
  -- materialised paths in byte order ("C") are in tree order: a subtree's paths follow each other
  RETURN QUERY
    WITH u AS (SELECT o.id, o.path COLLATE "C" AS path FROM org_units o WHERE o.id IN (a, b, c)),
    ordered AS (SELECT u.id, u.path, lead(u.path) OVER (ORDER BY u.path) AS next FROM u)
    SELECT ordered.id, 1 FROM ordered
    UNION ALL
    SELECT (SELECT l.id FROM org_units l WHERE starts_with(ordered.path, l.path) AND starts_with(ordered.next, l.path) ORDER BY length(l.path) DESC LIMIT 1), -1
    FROM ordered WHERE ordered.next IS NOT NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION service_request_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO service_request_counts AS t (unit_id, status, sla_state, type, n)
    SELECT w.weighted_unit, r.status, r.sla_state, r.type, sum(w.weight) FROM new_rows r
    CROSS JOIN LATERAL service_request_unit_weights(r.handling_unit_id, r.raised_unit_id, r.home_unit_id) w
    GROUP BY 1, 2, 3, 4 HAVING sum(w.weight) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (unit_id, status, sla_state, type) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO service_request_counts AS t (unit_id, status, sla_state, type, n)
    SELECT w.weighted_unit, r.status, r.sla_state, r.type, -sum(w.weight) FROM old_rows r
    CROSS JOIN LATERAL service_request_unit_weights(r.handling_unit_id, r.raised_unit_id, r.home_unit_id) w
    GROUP BY 1, 2, 3, 4 HAVING sum(w.weight) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (unit_id, status, sla_state, type) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    INSERT INTO service_request_counts AS t (unit_id, status, sla_state, type, n)
    SELECT unit_id, status, sla_state, type, sum(d) FROM (
      SELECT w.weighted_unit AS unit_id, r.status, r.sla_state, r.type, w.weight AS d FROM new_rows r
      CROSS JOIN LATERAL service_request_unit_weights(r.handling_unit_id, r.raised_unit_id, r.home_unit_id) w
      UNION ALL
      SELECT w.weighted_unit, r.status, r.sla_state, r.type, -w.weight FROM old_rows r
      CROSS JOIN LATERAL service_request_unit_weights(r.handling_unit_id, r.raised_unit_id, r.home_unit_id) w
    ) c
    GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (unit_id, status, sla_state, type) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER service_request_counts_insert AFTER INSERT ON service_requests REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION service_request_counts_apply();
--> statement-breakpoint
CREATE TRIGGER service_request_counts_update AFTER UPDATE ON service_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION service_request_counts_apply();
--> statement-breakpoint
CREATE TRIGGER service_request_counts_delete AFTER DELETE ON service_requests REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION service_request_counts_apply();
--> statement-breakpoint
-- A unit's page of open requests in order of the due time (or of arrival): read in that order from these, the
-- units read from the index itself, stopping at the page's last row instead of sorting the unit's every request.
CREATE INDEX service_requests_open_due_idx ON service_requests (resolve_due_at, id) INCLUDE (handling_unit_id, raised_unit_id, home_unit_id)
  WHERE status NOT IN ('resolved', 'closed');
--> statement-breakpoint
CREATE INDEX service_requests_created_units_idx ON service_requests (created_at, id) INCLUDE (handling_unit_id, raised_unit_id, home_unit_id);
