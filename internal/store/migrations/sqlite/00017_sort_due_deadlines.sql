-- +goose Up
-- The inbox orders by sort_due: it used to hold the first-response due
-- time alone (while no response was made); it now holds the nearest
-- running deadline, as store.sortDue computes it: the first response
-- while none was made, the next response, the resolution; none (the
-- largest key, 2^62) while the case is paused or once it is resolved or
-- closed. Times are fixed-width text in UTC, so the least text is the
-- earliest time; '~' sorts after every digit and stands for "none".
-- sort_due is unix milliseconds.
UPDATE cases SET sort_due = n.due
FROM (
    SELECT id, CASE WHEN d IS NULL THEN 4611686018427387904
        ELSE CAST(strftime('%s', d) AS INTEGER) * 1000 + CAST(substr(d, 21, 3) AS INTEGER) END AS due
    FROM (
        SELECT id, nullif(min(
            coalesce(CASE WHEN first_response_at IS NULL THEN first_response_due END, '~'),
            coalesce(next_response_due, '~'),
            coalesce(resolution_due, '~')), '~') AS d
        FROM cases
        WHERE status NOT IN ('resolved', 'closed') AND sla_paused_at IS NULL
    )
) AS n
WHERE cases.id = n.id AND cases.sort_due <> n.due;

UPDATE cases SET sort_due = 4611686018427387904
WHERE (status IN ('resolved', 'closed') OR sla_paused_at IS NOT NULL) AND sort_due <> 4611686018427387904;

-- +goose Down
-- Back to the first-response due time alone.
UPDATE cases SET sort_due = CASE WHEN first_response_due IS NULL OR first_response_at IS NOT NULL THEN 4611686018427387904
    ELSE CAST(strftime('%s', first_response_due) AS INTEGER) * 1000 + CAST(substr(first_response_due, 21, 3) AS INTEGER) END;
