-- +goose Up
-- The organisation file (issue 5): teams and sites with hours, time zones,
-- aliases and channels; memberships; holidays; SLA policies; rules; alert
-- targets; the file as applied. Then durable jobs and the case fields that
-- SLA timers need. sla_next_at and jobs.run_at are unix milliseconds.
ALTER TABLE teams ADD COLUMN hours TEXT NOT NULL DEFAULT '24/7';
ALTER TABLE teams ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sites ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';

CREATE TABLE memberships (
    email     TEXT NOT NULL,
    kind      TEXT NOT NULL, -- 'team' or 'site'
    ref       TEXT NOT NULL,
    available INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, ref, email)
);
CREATE INDEX memberships_email ON memberships (email);

CREATE TABLE holidays (
    day  TEXT PRIMARY KEY, -- YYYY-MM-DD in the organisation's time zone
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sla_policies (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    spec     TEXT NOT NULL
);

CREATE TABLE rules (
    position INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    spec     TEXT NOT NULL
);

CREATE TABLE alert_targets (
    id   TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    spec TEXT NOT NULL
);

-- One row: the organisation file as last applied.
CREATE TABLE org_file (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    source     TEXT NOT NULL,
    format     TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    applied_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    dedupe_key   TEXT UNIQUE,
    state        TEXT NOT NULL DEFAULT 'pending', -- pending, running, done, dead
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 8,
    last_error   TEXT NOT NULL DEFAULT '',
    locked_by    TEXT NOT NULL DEFAULT '',
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'pending';
CREATE INDEX jobs_lease ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_dead ON jobs (updated_at) WHERE state = 'dead';

ALTER TABLE cases ADD COLUMN next_response_due TEXT;
ALTER TABLE cases ADD COLUMN resolution_due TEXT;
ALTER TABLE cases ADD COLUMN sla_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN sla_paused_at TEXT;
ALTER TABLE cases ADD COLUMN sla_timers TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN sla_next_at INTEGER;
ALTER TABLE cases ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_sla_next ON cases (sla_next_at) WHERE sla_next_at IS NOT NULL;

-- +goose Down
DROP INDEX cases_sla_next;
ALTER TABLE cases DROP COLUMN tags;
ALTER TABLE cases DROP COLUMN sla_next_at;
ALTER TABLE cases DROP COLUMN sla_timers;
ALTER TABLE cases DROP COLUMN sla_paused_at;
ALTER TABLE cases DROP COLUMN sla_policy;
ALTER TABLE cases DROP COLUMN resolution_due;
ALTER TABLE cases DROP COLUMN next_response_due;
DROP TABLE jobs;
DROP TABLE org_file;
DROP TABLE alert_targets;
DROP TABLE rules;
DROP TABLE sla_policies;
DROP TABLE holidays;
DROP TABLE memberships;
ALTER TABLE sites DROP COLUMN channels;
ALTER TABLE sites DROP COLUMN aliases;
ALTER TABLE sites DROP COLUMN timezone;
ALTER TABLE teams DROP COLUMN timezone;
ALTER TABLE teams DROP COLUMN hours;
