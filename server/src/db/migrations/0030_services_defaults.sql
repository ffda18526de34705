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
