ALTER TABLE "points_ledger" DROP CONSTRAINT "points_ledger_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "points_ledger" DROP CONSTRAINT "points_ledger_run_id_rule_runs_id_fk";
--> statement-breakpoint
-- room on each page for the run's balance updates to stay on the page (HOT updates, no index entry)
ALTER TABLE "points_accounts" SET (fillfactor = 80);
