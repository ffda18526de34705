-- 后台导出: exports too large for a download at once run in the background; their files are kept in the
-- database in chunks, so that any server instance serves the download (a file on one instance's disk would
-- not be found by a request that another instance answers), and are deleted a day after they are done.
CREATE TABLE export_jobs (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  user_id bigint NOT NULL,
  kind text NOT NULL,               -- what is exported (customers)
  format text NOT NULL,             -- csv | xlsx
  params jsonb NOT NULL,            -- the filter and choices, as the reader asked
  file_name text NOT NULL,
  status text NOT NULL,             -- running | done | failed
  rows_total integer,               -- counted in the export's snapshot
  rows_done integer NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(), -- a running export that stops beating died with its server
  finished_at timestamptz,
  expires_at timestamptz
);
--> statement-breakpoint
CREATE INDEX export_jobs_user_idx ON export_jobs (user_id, created_at);
--> statement-breakpoint
CREATE TABLE export_job_chunks (
  job_id bigint NOT NULL REFERENCES export_jobs (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (job_id, seq)
);
