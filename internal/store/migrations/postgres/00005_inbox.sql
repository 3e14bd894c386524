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

-- +goose Down
DROP INDEX replies_awaiting;
DROP INDEX cases_platform_queue;
DROP INDEX cases_sentiment_queue;
DROP INDEX cases_unassigned_queue;
