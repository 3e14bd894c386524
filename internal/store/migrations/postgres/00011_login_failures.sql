-- +goose Up
-- Failed sign-ins are forgotten by age and capped by count (oldest
-- first), so that a spray of made-up emails cannot grow the table
-- without bound.
CREATE INDEX login_failures_last ON login_failures (last_failure);

-- +goose Down
DROP INDEX login_failures_last;
