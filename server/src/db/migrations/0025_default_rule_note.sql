-- The first rule versions (the system's defaults, created_by NULL) carried a note in Chinese with a
-- document reference; the console now words them in the reader's language, so the stored note goes.
UPDATE "rule_sets" SET "note" = NULL WHERE "created_by" IS NULL AND "version" = 1 AND "note" LIKE '初始版本：DOMAIN.md%';
