-- 工单计数: the counts' trigger was planned with the weights' function guessed at a thousand rows a call (it gives one
-- to three), so that a statement changing 5,000 requests crossed jit_above_cost and each run compiled its plan
-- first: 410 ms of the SLA clock's batch of 5,000, 37 ms without (the first pass over the large profile's backlog
-- 28.3 → 12.5 s). The estimate is made true, and the trigger's statements never compile: they are small.
ALTER FUNCTION service_request_unit_weights(bigint, bigint, bigint) ROWS 2;--> statement-breakpoint
ALTER FUNCTION service_request_counts_apply() SET jit = off;
