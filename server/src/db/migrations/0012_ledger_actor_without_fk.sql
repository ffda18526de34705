ALTER TABLE "points_ledger" DROP CONSTRAINT "points_ledger_actor_id_users_id_fk";
