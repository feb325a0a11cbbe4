-- Data sets written before size_bytes existed: measure their tables once, so the storage quota
-- (STORAGE_QUOTA_BYTES) counts them. Tables never change after they are written. Hand-written
-- (drizzle-kit generate --custom); a data set whose table is gone counts 0.
UPDATE "datasets"
SET "size_bytes" = coalesce(pg_total_relation_size(to_regclass("table_name")), 0)
WHERE "size_bytes" = 0 AND "status" = 'ready';
