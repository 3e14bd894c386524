-- +goose Up
-- The intent filter asks which cases have a mention with an intent, so
-- the index keeps one row per case and intent instead of one per
-- mention: fewer rows to write as mentions pour in, and no row at all
-- when a case's next mention repeats an intent.
CREATE TABLE case_intents (
    intent  TEXT NOT NULL,
    case_id BIGINT NOT NULL,
    PRIMARY KEY (intent, case_id)
);
INSERT INTO case_intents (intent, case_id)
    SELECT DISTINCT intent, case_id FROM mention_intents;
DROP TABLE mention_intents;

-- +goose Down
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
DROP TABLE case_intents;
