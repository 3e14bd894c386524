-- +goose Up
-- Queue-ordered indexes for the inbox's common filters, so that a filtered
-- page reads its first rows in order instead of sorting or scanning: the
-- unassigned queue (partial: assigned cases stay out) and by platform.
CREATE INDEX cases_unassigned_queue ON cases (prio_rank DESC, sort_due, id) WHERE assignee = '';
-- No index by latest sentiment: it changes with most mentions a case
-- gets, and each sentiment is common enough that the queue order finds
-- a page of it quickly.
CREATE INDEX cases_platform_queue ON cases (platform, prio_rank DESC, sort_due, id);

-- The supervisors' approval queue: the few replies awaiting approval.
CREATE INDEX replies_awaiting ON replies (id) WHERE state = 'awaiting_approval';

-- The intents of each mention, by intent, so that the intent filter finds
-- a rare intent's cases without reading every mention's analysis. The
-- ingest batch writes its rows with the mentions' (mentions are
-- insert-only); existing mentions are filled in here.
CREATE TABLE mention_intents (
    intent     TEXT NOT NULL,
    case_id    INTEGER NOT NULL,
    mention_id INTEGER NOT NULL,
    PRIMARY KEY (intent, case_id, mention_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO mention_intents (intent, case_id, mention_id)
    SELECT DISTINCT j.value, m.case_id, m.id
    FROM mentions m, json_each(CASE WHEN json_valid(m.analysis) THEN m.analysis ELSE '{}' END, '$.intents') j
    WHERE m.case_id IS NOT NULL AND j.type = 'text';

-- +goose Down
DROP TABLE mention_intents;
DROP INDEX replies_awaiting;
DROP INDEX cases_platform_queue;
DROP INDEX cases_unassigned_queue;
