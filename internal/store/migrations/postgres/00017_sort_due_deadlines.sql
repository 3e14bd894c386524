-- +goose Up
-- The inbox orders by sort_due: it used to hold the first-response due
-- time alone (while no response was made); it now holds the nearest
-- running deadline, as store.sortDue computes it: the first response
-- while none was made, the next response, the resolution; none (the
-- largest key, 2^62) while the case is paused or once it is resolved or
-- closed. sort_due is unix milliseconds (LEAST skips NULLs).
UPDATE cases SET sort_due = n.due
FROM (
    SELECT id, COALESCE(round(EXTRACT(EPOCH FROM date_trunc('milliseconds', LEAST(
            CASE WHEN first_response_at IS NULL THEN first_response_due END, next_response_due, resolution_due))) * 1000)::bigint,
        4611686018427387904) AS due
    FROM cases
    WHERE status NOT IN ('resolved', 'closed') AND sla_paused_at IS NULL
) AS n
WHERE cases.id = n.id AND cases.sort_due <> n.due;

UPDATE cases SET sort_due = 4611686018427387904
WHERE (status IN ('resolved', 'closed') OR sla_paused_at IS NOT NULL) AND sort_due <> 4611686018427387904;

-- +goose Down
-- Back to the first-response due time alone.
UPDATE cases SET sort_due = CASE WHEN first_response_due IS NULL OR first_response_at IS NOT NULL THEN 4611686018427387904
    ELSE round(EXTRACT(EPOCH FROM date_trunc('milliseconds', first_response_due)) * 1000)::bigint END;
