DROP INDEX "points_ledger_run_idx";--> statement-breakpoint
DROP INDEX "points_ledger_run_entry_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "points_ledger_run_entry_uq" ON "points_ledger" USING btree ("month","kind","customer_id") WHERE "points_ledger"."run_id" IS NOT NULL;