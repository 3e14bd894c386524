-- +goose Up
-- The report series count mentions and cases by when they were made:
-- the indexes on created_at carry the columns those counts read, so a
-- month of a million-mention store is counted from the index alone
-- (an index-only scan, once VACUUM has marked the pages all-visible).
DROP INDEX mentions_created;
CREATE INDEX mentions_created ON mentions (created_at) INCLUDE (direction, sentiment);
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at) INCLUDE (first_response_due, first_response_at);
-- The series group by the hour (or quarter hour) of created_at. Without
-- statistics on those expressions the planner guesses a group for every
-- few rows and sorts them all; with them it sees a few thousand groups
-- and aggregates by hashing, in parallel.
CREATE STATISTICS mentions_created_hour ON (date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')) FROM mentions;
CREATE STATISTICS mentions_created_quarter ON (date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')) FROM mentions;
CREATE STATISTICS cases_created_hour ON (date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')) FROM cases;
CREATE STATISTICS cases_created_quarter ON (date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')) FROM cases;
ANALYZE mentions;
ANALYZE cases;

-- +goose Down
DROP STATISTICS cases_created_quarter;
DROP STATISTICS cases_created_hour;
DROP STATISTICS mentions_created_quarter;
DROP STATISTICS mentions_created_hour;
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at);
DROP INDEX mentions_created;
CREATE INDEX mentions_created ON mentions (created_at);
