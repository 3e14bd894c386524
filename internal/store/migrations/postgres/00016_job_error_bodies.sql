-- +goose Up
-- Alert deliveries used to keep up to 512 bytes of what a failing target
-- answered ("HTTP 403: <its body>"), and the dead letters showed it to
-- admins and supervisors. Keep our own words and the status only, as
-- deliveries do now.
UPDATE jobs
SET last_error = left(last_error, strpos(last_error, 'HTTP ') + 7) || ' (the answer is not kept)'
WHERE kind = 'alert' AND last_error ~ 'HTTP [0-9]{3}: ';

-- +goose Down
-- What the targets answered is gone for good.
SELECT 1;
