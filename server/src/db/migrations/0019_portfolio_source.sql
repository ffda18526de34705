-- The source of a manager assignment (客户经理分配), as every field change has one: the console says
-- 'console'; loads (BOSS imports, the demo data) take the default. Assignments made by a person before
-- this column (the console, or an import they ran) cannot be told apart: left empty (unknown).
ALTER TABLE "portfolio_assignments" ADD COLUMN "source" text DEFAULT 'boss_import';--> statement-breakpoint
UPDATE "portfolio_assignments" SET "source" = NULL WHERE "assigned_by" IS NOT NULL;
