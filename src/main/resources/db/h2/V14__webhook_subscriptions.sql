-- Same as db/postgresql (H2 counts lengths in UTF-16 units).
-- Webhook subscriptions (POST /subscriptions): where to push the feed, how far each got, and who delivers it now.
-- Shared by every instance; one instance at a time holds a subscription's lease (lease_owner until lease_until)
-- and is the only one whose cursor updates land, since each is fenced by its lease.
CREATE TABLE subscriptions (
    id                VARCHAR(40) PRIMARY KEY,
    url               VARCHAR(2048) NOT NULL,
    topics            CLOB,
    secret            VARCHAR(200) NOT NULL,
    previous_secret   VARCHAR(200),
    previous_until    TIMESTAMP WITH TIME ZONE,
    batch_size        INTEGER NOT NULL,
    on_exhausted      VARCHAR(16) NOT NULL,
    state             VARCHAR(16) NOT NULL,
    state_reason      VARCHAR(500),
    cursor_tx         BIGINT NOT NULL,
    cursor_seq        BIGINT NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner       VARCHAR(200),
    lease_until       TIMESTAMP WITH TIME ZONE,
    delivered         BIGINT NOT NULL DEFAULT 0,
    attempts          BIGINT NOT NULL DEFAULT 0,
    failures          INTEGER NOT NULL DEFAULT 0,
    first_failure_at  TIMESTAMP WITH TIME ZONE,
    next_attempt_at   TIMESTAMP WITH TIME ZONE,
    last_success_at   TIMESTAMP WITH TIME ZONE,
    last_error_at     TIMESTAMP WITH TIME ZONE,
    last_error        VARCHAR(500),
    dead_letters      BIGINT NOT NULL DEFAULT 0,
    version           BIGINT NOT NULL DEFAULT 0
);

-- Events a subscription gave up on after its retry horizon, when it is set to go on past them.
CREATE TABLE subscription_dead_letters (
    subscription_id  VARCHAR(40) NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    webhook_id       VARCHAR(100) NOT NULL,
    topic            VARCHAR(510) NOT NULL,
    event_id         VARCHAR(510) NOT NULL,
    failed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts         INTEGER NOT NULL,
    last_error       VARCHAR(500),
    PRIMARY KEY (subscription_id, webhook_id)
);
