ALTER TABLE "points_accounts" DROP CONSTRAINT "points_accounts_customer_id_customers_id_fk";
