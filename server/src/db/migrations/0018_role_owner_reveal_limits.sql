-- Custom roles belong to the unit that made them (built-in roles to none: they are global). Existing
-- custom roles belong to the organisation's root.
ALTER TABLE "roles" ADD COLUMN "unit_id" bigint REFERENCES "org_units"("id");--> statement-breakpoint
UPDATE "roles" SET "unit_id" = (SELECT "id" FROM "org_units" WHERE "parent_id" IS NULL ORDER BY "id" LIMIT 1)
WHERE NOT "builtin";--> statement-breakpoint
CREATE INDEX "roles_unit_idx" ON "roles" USING btree ("unit_id");--> statement-breakpoint
-- Reveals of personal data per user in the current minute: one row per user, shared by every server instance.
CREATE TABLE "pii_reveal_windows" (
	"user_id" bigint PRIMARY KEY NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"window_start" timestamp with time zone NOT NULL,
	"reveals" integer NOT NULL
);
