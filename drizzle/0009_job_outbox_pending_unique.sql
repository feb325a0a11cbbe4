-- Pending duplicates written before this index (repeated run calls) would make it fail to
-- build: keep the oldest pending row of each (name, job_key); the rest would have made the
-- same job (the queue's job id comes from the key), so nothing is lost.
DELETE FROM "job_outbox" AS "dup" USING "job_outbox" AS "keep" WHERE "dup"."dispatched_at" IS NULL AND "keep"."dispatched_at" IS NULL AND "dup"."name" = "keep"."name" AND "dup"."job_key" = "keep"."job_key" AND ("keep"."created_at", "keep"."id") < ("dup"."created_at", "dup"."id");--> statement-breakpoint
CREATE UNIQUE INDEX "job_outbox_pending_key_idx" ON "job_outbox" USING btree ("name","job_key") WHERE dispatched_at is null;
