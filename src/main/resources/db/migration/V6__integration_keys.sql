-- Integration keys: capability URLs for systems that cannot send a bearer token (Jicofo's external
-- bridge selector sends no Authorization header). A key authenticates its caller and names the
-- account whose policy applies. Only a SHA-256 hash of each key is stored; the key itself is shown
-- once, when it is created.
--
-- Rows are never deleted: revoking sets revoked_at. So "count(*) + count(revoked_at)" grows with
-- every creation and every revocation, and each replica's key cache compares that one number to
-- notice a change made on another replica, without reading every key each time.

create table integration_key (
    id           varchar(36)  not null primary key,
    -- the system the key is for ("jicofo"); a key of one integration opens no other
    integration  varchar(32)  not null,
    account_id   varchar(128) not null,
    -- lower-case hex SHA-256 of the key
    key_hash     varchar(64)  not null,
    created_at   timestamp with time zone not null,
    created_by   varchar(256) not null,
    -- written in batches, at most every meridian.integration-keys.last-used-flush-interval
    last_used_at timestamp with time zone,
    revoked_at   timestamp with time zone,
    revoked_by   varchar(256),
    constraint integration_key_hash unique (key_hash)
);

create index integration_key_account on integration_key (account_id, integration);
