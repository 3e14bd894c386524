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
    case_id    BIGINT NOT NULL,
    mention_id BIGINT NOT NULL,
    PRIMARY KEY (intent, case_id, mention_id)
);
INSERT INTO mention_intents (intent, case_id, mention_id)
    SELECT DISTINCT i, m.case_id, m.id
    FROM mentions m,
         jsonb_array_elements_text(CASE WHEN jsonb_typeof(m.analysis->'intents') = 'array' THEN m.analysis->'intents' ELSE '[]'::jsonb END) i
    WHERE m.case_id IS NOT NULL
    ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE mention_intents;
DROP INDEX replies_awaiting;
DROP INDEX cases_platform_queue;
DROP INDEX cases_unassigned_queue;
