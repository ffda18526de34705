-- 经理工作台: the open requests of a manager's portfolio from one range of their own index, instead of one probe of
-- the customers' open-requests index per customer (492 probes made most of the workbench's statement). An open
-- request carries its customer's account manager: set when it is written or opened again, followed when the
-- customer changes manager. A closed request keeps the manager it had (none if closed before this migration):
-- filling five million closed requests took six minutes on the `large` profile, for nothing that reads them.
ALTER TABLE "service_requests" ADD COLUMN "manager_id" bigint;--> statement-breakpoint
UPDATE service_requests r SET manager_id = c.manager_id FROM customers c
  WHERE c.id = r.customer_id AND c.manager_id IS NOT NULL AND r.status NOT IN ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "service_requests_manager_open_idx" ON "service_requests" USING btree ("manager_id") WHERE "service_requests"."status" NOT IN ('resolved', 'closed');--> statement-breakpoint
-- FOR SHARE waits for a change of that customer's manager in progress (and holds the next one back until this
-- commits), so that neither misses the other
CREATE OR REPLACE FUNCTION service_requests_take_manager() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
     OR (OLD.status IN ('resolved', 'closed') AND NEW.status NOT IN ('resolved', 'closed')) THEN
    NEW.manager_id := (SELECT c.manager_id FROM customers c WHERE c.id = NEW.customer_id FOR SHARE);
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER service_requests_take_manager BEFORE INSERT OR UPDATE OF customer_id, status ON service_requests
  FOR EACH ROW EXECUTE FUNCTION service_requests_take_manager();--> statement-breakpoint
CREATE OR REPLACE FUNCTION service_requests_follow_manager() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE service_requests r SET manager_id = n.manager_id
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE r.customer_id = n.id AND n.manager_id IS DISTINCT FROM o.manager_id AND r.status NOT IN ('resolved', 'closed');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER service_requests_follow_manager AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION service_requests_follow_manager();
