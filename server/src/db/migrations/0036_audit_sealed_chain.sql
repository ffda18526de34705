-- 日志管理: the audit chain is sealed after commit (docs/decisions.md, "Audit chain sealed after commit"). The
-- audit writer inserts an entry in the writing transaction with its content signed (entry_mac) and no position;
-- the sealer (platform/audit/sealer.ts), one at a time under the chain lock (advisory 7263001), gives the
-- committed entries their positions and chain hashes in one UPDATE. No audited write holds a lock until it
-- commits any more. Entries written before keep their positions and hashes (key-less, or v1 keyed).
ALTER TABLE "audit_log" ALTER COLUMN "seq" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "entry_mac" text;--> statement-breakpoint
CREATE INDEX "audit_log_unsealed_idx" ON "audit_log" USING btree ("id") WHERE "audit_log"."seq" IS NULL;
--> statement-breakpoint
-- An entry is inserted signed and without a position: only the sealer chains it.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.key_id IS NULL OR NEW.entry_mac IS NULL THEN
    RAISE EXCEPTION 'audit_log: an entry must be signed by the audit writer and inserted without a position (the sealer chains it)'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- No DELETE; an UPDATE only gives an unsealed entry its position and hashes, changing nothing else.
CREATE OR REPLACE FUNCTION audit_log_guard_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
     AND to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'] = to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: only the sealer gives an unsealed entry its position' USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
DROP TRIGGER audit_log_no_update ON audit_log;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard_change();
--> statement-breakpoint
-- Once per sealing statement: the session holds the chain lock (a bigint advisory key shows in pg_locks as
-- classid = its high half, objid = its low half, objsubid = 1), and the entries sealed continue the chain
-- after its previous head, without a gap, each linked to the hash of the one before.
CREATE OR REPLACE FUNCTION audit_log_check_sealed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  lo bigint;
  hi bigint;
  head bigint;
  unlinked bigint;
BEGIN
  SELECT count(*), min(s.seq), max(s.seq) INTO n, lo, hi FROM sealed s;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.classid = 0
                 AND l.objid = 7263001 AND l.objsubid = 1 AND l.granted) THEN
    RAISE EXCEPTION 'audit_log: only the sealer, holding the chain lock, gives entries their positions' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT max(a.seq) INTO head FROM audit_log a WHERE a.seq < lo;
  IF coalesce(head, 0) <> lo - 1 OR hi - lo + 1 <> n OR EXISTS (SELECT 1 FROM audit_log a WHERE a.seq > hi) THEN
    RAISE EXCEPTION 'audit_log: sealed positions % to % do not continue the chain after %', lo, hi, coalesce(head, 0)
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  SELECT s.seq INTO unlinked FROM sealed s LEFT JOIN audit_log p ON p.seq = s.seq - 1
  WHERE s.prev_hash IS DISTINCT FROM p.hash ORDER BY s.seq LIMIT 1;
  IF unlinked IS NOT NULL THEN
    RAISE EXCEPTION 'audit_log: the entry sealed at % does not link to the hash of the one before', unlinked
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_sealed AFTER UPDATE ON audit_log REFERENCING NEW TABLE AS sealed FOR EACH STATEMENT EXECUTE FUNCTION audit_log_check_sealed();
--> statement-breakpoint
DROP FUNCTION audit_chain_head();
