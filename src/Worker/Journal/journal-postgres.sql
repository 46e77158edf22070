-- The deletion journal of registry-cleaner in PostgreSQL. The worker creates it at start (Journal:Postgres:CreateSchema,
-- default true); where its database user may not create tables, an administrator applies this file once instead.
-- Every statement is idempotent. The worker then needs SELECT, INSERT, UPDATE on both tables.
-- Times are Unix milliseconds (UTC); ids are text.

CREATE TABLE IF NOT EXISTS rc_journal (
    sequence           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                 TEXT   NOT NULL UNIQUE,
    action             TEXT   NOT NULL,  -- DeleteTag, DeleteRepository, RestoreTag, ReclaimDigest
    outcome            TEXT   NOT NULL,  -- Pending (intent recorded, call not ended), Deleted, AlreadyAbsent, Failed, Restored, WouldRestore, Reclaimed, Kept
    registry           TEXT   NOT NULL,
    repository         TEXT   NOT NULL,
    tag                TEXT,
    digest             TEXT,
    media_type         TEXT,
    request_id         TEXT   NOT NULL,
    run_id             TEXT,
    policy             TEXT,
    verified_publisher TEXT,
    requested_by       TEXT,
    reason             TEXT,
    detail             TEXT,
    bytes_freed        BIGINT,
    recorded_at        BIGINT NOT NULL,
    completed_at       BIGINT
);
CREATE INDEX IF NOT EXISTS rc_journal_request ON rc_journal (request_id);
CREATE INDEX IF NOT EXISTS rc_journal_run ON rc_journal (run_id);
CREATE INDEX IF NOT EXISTS rc_journal_target ON rc_journal (registry, repository, tag);
CREATE INDEX IF NOT EXISTS rc_journal_reclaim ON rc_journal (action, outcome, completed_at);
-- A reclaim looks up every deletion of each candidate digest (is any still inside the grace window?).
CREATE INDEX IF NOT EXISTS rc_journal_digest ON rc_journal (registry, repository, digest);

-- Per digest: when it was reclaimed, when a reclaim last found it tagged again, and which worker is reclaiming it now.
CREATE TABLE IF NOT EXISTS rc_digest (
    registry     TEXT NOT NULL,
    repository   TEXT NOT NULL,
    digest       TEXT NOT NULL,
    claim_owner  TEXT,
    claim_until  BIGINT,
    reclaimed_at BIGINT,
    kept_at      BIGINT,
    PRIMARY KEY (registry, repository, digest)
);
