-- +goose Up
-- Times are UTC text in a fixed-width form (2006-01-02T15:04:05.000000Z) so
-- that text order is time order. sort_due is unix milliseconds.
CREATE TABLE authors (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    key        TEXT NOT NULL,
    ext_id     TEXT NOT NULL DEFAULT '',
    handle     TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    followers  INTEGER NOT NULL DEFAULT 0,
    following  INTEGER NOT NULL DEFAULT 0,
    posts      INTEGER NOT NULL DEFAULT 0,
    verified   INTEGER NOT NULL DEFAULT 0,
    location   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (platform, key)
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    status             TEXT NOT NULL,
    priority           TEXT NOT NULL,
    prio_rank          INTEGER NOT NULL,
    platform           TEXT NOT NULL,
    channel            TEXT NOT NULL DEFAULT '',
    author_id          INTEGER NOT NULL REFERENCES authors (id),
    team               TEXT NOT NULL DEFAULT '',
    site               TEXT NOT NULL DEFAULT '',
    assignee           TEXT NOT NULL DEFAULT '',
    urgency            TEXT NOT NULL DEFAULT 'normal',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    last_activity_at   TEXT NOT NULL,
    first_response_due TEXT,
    first_response_at  TEXT,
    sort_due           INTEGER NOT NULL,
    sentiment_first    TEXT NOT NULL DEFAULT '',
    sentiment_last     TEXT NOT NULL DEFAULT '',
    mention_count      INTEGER NOT NULL DEFAULT 0,
    summary            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_queue ON cases (prio_rank DESC, sort_due, id);
CREATE INDEX cases_status_queue ON cases (status, prio_rank DESC, sort_due, id);
-- An author has few cases; indexing only author_id keeps activity
-- updates off this index.
CREATE INDEX cases_author ON cases (author_id);
-- A team's or a person's queue. Unrouted, unassigned cases (most of them
-- while mentions pour in) stay out of these indexes.
CREATE INDEX cases_assignee ON cases (assignee, prio_rank DESC, sort_due, id) WHERE assignee <> '';
CREATE INDEX cases_team ON cases (team, prio_rank DESC, sort_due, id) WHERE team <> '';
CREATE INDEX cases_created ON cases (created_at);

CREATE TABLE mentions (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    case_id         INTEGER REFERENCES cases (id),
    author_id       INTEGER NOT NULL REFERENCES authors (id),
    author_handle   TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    direction       TEXT NOT NULL,
    text            TEXT NOT NULL,
    url             TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    in_reply_to     TEXT NOT NULL DEFAULT '',
    thread_id       TEXT NOT NULL DEFAULT '',
    rating          INTEGER,
    place           TEXT NOT NULL DEFAULT '',
    sentiment       TEXT NOT NULL DEFAULT '',
    urgency         TEXT NOT NULL DEFAULT '',
    needs_response  INTEGER NOT NULL DEFAULT 0,
    analysis        TEXT NOT NULL DEFAULT '{}',
    UNIQUE (platform, external_id)
);
CREATE INDEX mentions_case ON mentions (case_id, created_at);
CREATE INDEX mentions_created ON mentions (created_at);
CREATE INDEX mentions_thread ON mentions (platform, thread_id) WHERE thread_id <> '';

-- Contentless full-text index over mention text and author handle; rowid is mentions.id.
CREATE VIRTUAL TABLE mentions_fts USING fts5 (text, author, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    type       TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX events_case ON events (case_id, id);

CREATE TABLE replies (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    text       TEXT NOT NULL,
    visibility TEXT NOT NULL,
    template   TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX replies_case ON replies (case_id, id);

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    text       TEXT NOT NULL,
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX notes_case ON notes (case_id, id);

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    title      TEXT NOT NULL,
    due_at     TEXT,
    assignee   TEXT NOT NULL DEFAULT '',
    done       INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX tasks_case ON tasks (case_id, id);
CREATE INDEX tasks_assignee ON tasks (assignee, done, due_at);

CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE analyzer_models (
    name       TEXT PRIMARY KEY,
    blob       BLOB NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    mention_id INTEGER NOT NULL REFERENCES mentions (id),
    sentiment  TEXT NOT NULL DEFAULT '',
    intents    TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX corrections_mention ON corrections (mention_id);

-- +goose Down
DROP TABLE corrections;
DROP TABLE analyzer_models;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE sites;
DROP TABLE teams;
DROP TABLE tasks;
DROP TABLE notes;
DROP TABLE replies;
DROP TABLE events;
DROP TABLE mentions_fts;
DROP TABLE mentions;
DROP TABLE cases;
DROP TABLE authors;
