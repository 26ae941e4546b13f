-- Routing records in batches: one row per account per writer batch, its records as lines of text
-- (io.meridian.records.RecordLines, documented there and in docs/architecture.md), instead of a row
-- per record and a row per region of it. Every record used to cost the database a wide row, three
-- index entries and a row and an entry per region; now it costs its line, plus, when it names a
-- meeting of an account, its share of one narrow row per meeting and batch (the history's index).
-- Reports read an account's batches of the window and add up in the service.

create table routing_record_batch (
    -- the smallest record id (plan id) of the batch: unique, and a retried batch has the same one
    batch_key  varchar(26)     not null primary key,
    account_id varchar(128),
    -- the oldest and newest record's time, epoch milliseconds UTC
    first_at   bigint          not null,
    last_at    bigint          not null,
    records    integer         not null,
    body       varchar(1000000) not null
);

-- traffic report: an account's batches that end at or after the window's start
create index routing_record_batch_account on routing_record_batch (account_id, last_at);
-- retention: the batches whose oldest record is past it
create index routing_record_batch_time on routing_record_batch (first_at);

-- which batches hold records of an account's meeting, with the range of their record ids there
create table routing_record_meeting (
    account_id  varchar(128) not null,
    meeting_id  varchar(128) not null,
    batch_key   varchar(26)  not null,
    oldest_id   varchar(26)  not null,
    newest_id   varchar(26)  not null,
    primary key (account_id, meeting_id, batch_key)
);

-- every stored record becomes a batch of its own; its line is built as RecordLines writes it
-- (ids and codes never hold a tab, line feed or backslash: the service refuses them on input)
insert into routing_record_batch (batch_key, account_id, first_at, last_at, records, body)
select plan_id, account_id, recorded_at, recorded_at, 1,
       plan_id || chr(9) || cast(recorded_at as varchar(20)) || chr(9) || coalesce(meeting_id, '\N') || chr(9)
       || strategy || chr(9) || cast(participants as varchar(11)) || chr(9)
       || trim(both ',' from regions_used) || chr(9) || trim(both ',' from blocked_regions) || chr(9)
       || coalesce(trim(both ',' from allowed_regions), '\N') || chr(9) || policy_sources || chr(9)
       || data_centers || chr(9) || coalesce(reservation_id, '\N') || chr(9) || kind || chr(9)
       || coalesce(participant_id, '\N') || chr(10)
from routing_record;

insert into routing_record_meeting (account_id, meeting_id, batch_key, oldest_id, newest_id)
select account_id, meeting_id, plan_id, plan_id, plan_id from routing_record
where account_id is not null and meeting_id is not null;

drop table routing_record_region;
drop table routing_record;
