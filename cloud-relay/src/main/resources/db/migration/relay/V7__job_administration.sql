-- Job administration (GET/POST /admin/v1/jobs…). Same rules as V1: runs unchanged on SQLite and PostgreSQL.

-- A job an administrator retried is never changed (a final state is final); the retry is a new job that
-- names the one it repeats here.
ALTER TABLE jobs ADD COLUMN retry_of VARCHAR(26);
-- When the job last changed state (queued, leased, requeued, ended). NULL for jobs from before V7: readers
-- fall back to finished_at, then created_at.
ALTER TABLE jobs ADD COLUMN updated_at BIGINT;

-- The admin listing: a tenant's jobs newest first (jobs_queue already serves the listing by state).
CREATE INDEX jobs_by_tenant ON jobs (tenant_id, id);
-- The admin listing of batches, newest first.
CREATE INDEX customer_batches_by_tenant ON customer_batches (tenant_id, id);
