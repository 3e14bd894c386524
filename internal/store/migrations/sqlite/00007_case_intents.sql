-- +goose Up
-- The intent filter asks which cases have a mention with an intent, so
-- the index keeps one row per case and intent instead of one per
-- mention: fewer rows to write as mentions pour in, and no row at all
-- when a case's next mention repeats an intent.
CREATE TABLE case_intents (
    intent  TEXT NOT NULL,
    case_id INTEGER NOT NULL,
    PRIMARY KEY (intent, case_id)
) WITHOUT ROWID;
INSERT INTO case_intents (intent, case_id)
    SELECT DISTINCT intent, case_id FROM mention_intents;
DROP TABLE mention_intents;

-- +goose Down
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
DROP TABLE case_intents;
