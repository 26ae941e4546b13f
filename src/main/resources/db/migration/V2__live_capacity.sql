-- Live capacity shared by every replica: data-center status and load reports, leased reservations,
-- and the answers of idempotent reserving requests.

create table data_center_state (
    data_center_id    varchar(63)  not null primary key,
    status            varchar(16)  not null,
    status_reason     varchar(500),
    status_changed_at timestamp with time zone,
    status_changed_by varchar(256),
    reported_load     integer,
    reported_at       timestamp with time zone,
    received_at       timestamp with time zone
);

create table reservation (
    id          varchar(26)  not null primary key,
    meeting_id  varchar(128),
    created_at  timestamp with time zone not null,
    created_by  varchar(256) not null,
    expires_at  timestamp with time zone not null
);

create index reservation_expires_at on reservation (expires_at);

create table reservation_hold (
    reservation_id varchar(26) not null references reservation (id) on delete cascade,
    data_center_id varchar(63) not null,
    participants   integer     not null,
    primary key (reservation_id, data_center_id)
);

create index reservation_hold_data_center on reservation_hold (data_center_id);

create table idempotent_request (
    caller       varchar(256) not null,
    request_key  varchar(200) not null,
    request_hash varchar(64)  not null,
    response     text         not null,
    created_at   timestamp with time zone not null,
    primary key (caller, request_key)
);
