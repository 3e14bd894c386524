-- +goose Up
-- Queue-ordered indexes for the inbox's common filters, so that a filtered
-- page reads its first rows in order instead of sorting or scanning: the
-- unassigned queue (partial: assigned cases stay out), by latest
-- sentiment, and by platform.
CREATE INDEX cases_unassigned_queue ON cases (prio_rank DESC, sort_due, id) WHERE assignee = '';
CREATE INDEX cases_sentiment_queue ON cases (sentiment_last, prio_rank DESC, sort_due, id);
CREATE INDEX cases_platform_queue ON cases (platform, prio_rank DESC, sort_due, id);

-- The supervisors' approval queue: the few replies awaiting approval.
CREATE INDEX replies_awaiting ON replies (id) WHERE state = 'awaiting_approval';

-- The intents of each mention, by intent, so that the intent filter finds
-- a rare intent's cases without reading every mention's analysis. Kept by
-- a trigger (mentions are insert-only) and filled here for existing ones.
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
-- +goose StatementBegin
CREATE FUNCTION mentions_intents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.case_id IS NOT NULL AND jsonb_typeof(NEW.analysis->'intents') = 'array' THEN
        INSERT INTO mention_intents (intent, case_id, mention_id)
            SELECT DISTINCT i, NEW.case_id, NEW.id FROM jsonb_array_elements_text(NEW.analysis->'intents') i
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER mentions_intents AFTER INSERT ON mentions FOR EACH ROW EXECUTE FUNCTION mentions_intents();

-- +goose Down
DROP TRIGGER mentions_intents ON mentions;
DROP FUNCTION mentions_intents();
DROP TABLE mention_intents;
DROP INDEX replies_awaiting;
DROP INDEX cases_platform_queue;
DROP INDEX cases_sentiment_queue;
DROP INDEX cases_unassigned_queue;
