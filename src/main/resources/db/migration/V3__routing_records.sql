-- Routing records: one row per plan answered 200, written off the request path in batches, kept for
-- meridian.records.retention; plus one row per region the plan used, which the traffic report sums.
--
-- Kept lean on purpose, because every plan writes here: no foreign keys (their per-row triggers
-- cost more than the rows), no index on time alone (plan ids are ULIDs, so retention deletes by
-- plan-id range on the primary key). Region-code lists are stored wrapped in commas (",CN,EU,",
-- "," when empty) so that "region X is in the list" is a LIKE '%,X,%' on both H2 and PostgreSQL;
-- codes and ids never contain commas, colons or semicolons.

create table routing_record (
    plan_id         varchar(26)    not null primary key,
    -- when the plan was made, epoch milliseconds UTC (the plan id's ULID time)
    recorded_at     bigint         not null,
    account_id      varchar(128),
    meeting_id      varchar(128),
    strategy        varchar(16)    not null,
    participants    integer        not null,
    regions_used    varchar(10000) not null,
    blocked_regions varchar(10000) not null,
    -- null: no allow-list applied
    allowed_regions varchar(10000),
    -- comma-separated, in order ("request,account:acme")
    policy_sources  varchar(10000) not null,
    -- "eu-fra:EU:2:P;us-sjc:US:1:-": data center, region, participants, primary (P) or not (-)
    data_centers    varchar(20000) not null,
    reservation_id  varchar(26)
);

-- traffic report: one account, a time window
create index routing_record_account_time on routing_record (account_id, recorded_at);
-- meeting history, newest first (plan ids sort by time)
create index routing_record_meeting on routing_record (account_id, meeting_id, plan_id);

-- participants of a plan per region it used; removed with its record by the retention job
create table routing_record_region (
    plan_id      varchar(26) not null,
    region       varchar(16) not null,
    participants integer     not null,
    primary key (plan_id, region)
);
