-- +goose Up
-- The newest refresh token of each channel whose platform rotates them,
-- sealed with the key from EARSHOT_TOKEN_KEY (AES-256-GCM), so that the
-- replicas share it and a restart does not fall back to a spent one.
CREATE TABLE channel_tokens (
    channel       TEXT PRIMARY KEY,
    refresh_token BYTEA NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE channel_tokens;
