-- 日志管理: the chain is keyed (HMAC-SHA-256 with AUDIT_HMAC_KEY, which never reaches the database). The
-- application signs each entry while it holds the chain lock (audit_chain_head); the trigger only checks
-- that an entry continues the chain, so that no code path can append an unsigned or out-of-order entry.
-- Entries written before this migration keep their SHA-256 hashes (key_id NULL) and are checked as such.
ALTER TABLE "audit_log" ADD COLUMN "key_id" text;--> statement-breakpoint
-- The actor's unit when they acted: an auditor at or below it sees that actor's security events.
ALTER TABLE "audit_log" ADD COLUMN "actor_unit_path" text;--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_chain_head(OUT last_seq bigint, OUT last_hash text, OUT at_us bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- held until the writing transaction ends; the next statement sees every entry committed before it
  PERFORM pg_advisory_xact_lock(7263001);
  SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0);
  at_us := (extract(epoch FROM now()) * 1000000)::bigint;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7263001);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF NEW.key_id IS NULL OR NEW.hash = '' OR NEW.seq <> coalesce(last_seq, 0) + 1 OR NEW.prev_hash IS DISTINCT FROM last_hash THEN
    RAISE EXCEPTION 'audit_log: an entry must be signed by the audit writer and continue the chain (seq %)', coalesce(last_seq, 0) + 1
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- The key-less hash is no longer used to extend the chain; the verifier recomputes old entries itself.
DROP FUNCTION audit_row_hash(text, audit_log);
