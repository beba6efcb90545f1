-- Each index on jobs is a page more in every commit that writes a job, and a commit's cost is mostly the
-- pages it writes. The queue, lease and deadline indexes serve queries about QUEUED or LEASED jobs only
-- (those queries name the state as a literal), so they now hold only those rows: a job leased on arrival and
-- ended touches the lease index alone, and no index keeps the ended jobs that make up most of the table.
-- jobs_one_retry holds only retries: a unique index has nothing to say about the NULLs of the other jobs.
DROP INDEX jobs_queue;
CREATE INDEX jobs_queue ON jobs (tenant_id, id) WHERE state = 'QUEUED';
DROP INDEX jobs_deadlines;
CREATE INDEX jobs_deadlines ON jobs (deadline) WHERE state = 'QUEUED';
DROP INDEX jobs_leases;
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'LEASED';
DROP INDEX jobs_one_retry;
CREATE UNIQUE INDEX jobs_one_retry ON jobs (retry_of) WHERE retry_of IS NOT NULL;
