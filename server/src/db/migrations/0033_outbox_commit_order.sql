-- 事件通知 in commit order: an event gets its position (the order of delivery) after its transaction committed
-- (platform/outbox/delivery.ts placeEvents); the cursors are positions.
DROP INDEX "event_outbox_api_idx";--> statement-breakpoint
ALTER TABLE "event_outbox" ADD COLUMN "position" bigint;--> statement-breakpoint
-- the events already written keep their id as their position, so every cursor (an event id until now) stays where
-- it was; the positions given from now on come after all of them (and after every cursor, should the newest events
-- be pruned already)
UPDATE "event_outbox" SET "position" = "id";--> statement-breakpoint
CREATE SEQUENCE "event_outbox_position_seq" AS bigint;--> statement-breakpoint
SELECT setval('event_outbox_position_seq', greatest(1, (SELECT max("id") FROM "event_outbox"), (SELECT max("cursor") FROM "event_subscriptions")));--> statement-breakpoint
CREATE INDEX "event_outbox_api_position_idx" ON "event_outbox" USING btree ("api","position");--> statement-breakpoint
CREATE INDEX "event_outbox_unplaced_idx" ON "event_outbox" USING btree ("id") WHERE "event_outbox"."position" IS NULL;
