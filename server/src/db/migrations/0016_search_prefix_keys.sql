DROP INDEX "customers_name_prefix_idx";--> statement-breakpoint
DROP INDEX "key_persons_name_prefix_idx";--> statement-breakpoint
CREATE INDEX "customers_name_prefix_keys_idx" ON "customers" USING btree ("name" text_pattern_ops,"customer_no","unit_id","id");--> statement-breakpoint
CREATE INDEX "key_persons_name_prefix_keys_idx" ON "key_persons" USING btree ("name" text_pattern_ops,"customer_id");