-- A job is retried at most once: a second retry of one failed create could create the customer twice.
-- Several NULLs are allowed by a unique index on SQLite and PostgreSQL alike, so jobs that are no retry
-- are not affected; two relays retrying the same job at once cannot both succeed.
CREATE UNIQUE INDEX jobs_one_retry ON jobs (retry_of);
