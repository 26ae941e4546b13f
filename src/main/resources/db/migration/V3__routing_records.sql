-- Routing records: one row per plan answered 200, written off the request path in batches, kept for
-- meridian.records.retention. Children hold what the traffic report aggregates and checks: the
-- participants per data center, and the effective policy's region rules as rows, so that
-- "used a region its own policy blocked" is a join, not string matching.

create table routing_record (
    plan_id         varchar(26)   not null primary key,
    -- when the plan was made, epoch milliseconds UTC (the plan id's ULID time)
    recorded_at     bigint        not null,
    account_id      varchar(128),
    meeting_id      varchar(128),
    strategy        varchar(16)   not null,
    participants    integer       not null,
    -- comma-separated, sorted codes; ids and codes never contain commas
    regions_used    varchar(10000) not null,
    blocked_regions varchar(10000) not null,
    -- null: no allow-list applied
    allowed_regions varchar(10000),
    policy_sources  varchar(10000) not null,
    reservation_id  varchar(26)
);

-- traffic report: one account, a time window
create index routing_record_account_time on routing_record (account_id, recorded_at);
-- meeting history, newest first (plan ids sort by time)
create index routing_record_meeting on routing_record (account_id, meeting_id, plan_id);
-- retention cleanup
create index routing_record_time on routing_record (recorded_at);

create table routing_record_data_center (
    plan_id        varchar(26) not null references routing_record (plan_id) on delete cascade,
    data_center_id varchar(63) not null,
    region         varchar(16) not null,
    participants   integer     not null,
    primary_site   boolean     not null,
    primary key (plan_id, data_center_id)
);

create table routing_record_rule (
    plan_id varchar(26) not null references routing_record (plan_id) on delete cascade,
    -- BLOCKED or ALLOWED
    rule    varchar(7)  not null,
    region  varchar(16) not null,
    primary key (plan_id, rule, region)
);
