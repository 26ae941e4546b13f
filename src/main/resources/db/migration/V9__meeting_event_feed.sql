-- The meeting event feed (io.meridian.events): what its filters and its retention need.
-- Written for PostgreSQL and H2 (PostgreSQL mode) alike.

-- The meeting's label (the client's meetingId), so ?meetingId= narrows the feed in SQL, also for
-- events of meetings that have ended (their meeting row is gone).
alter table meeting_event add column label varchar(128);

create index meeting_event_owner_label_seq on meeting_event (owner, label, seq);

-- The highest sequence number the retention job deleted (0: none yet). A reader resuming after an
-- older one has missed events and is told so (410), whatever the table holds now. Kept apart from
-- meeting_event_sequence, so that pruning never waits for the appenders' lock.
create table meeting_event_retention (
    id             integer not null primary key,
    pruned_through bigint  not null
);

insert into meeting_event_retention (id, pruned_through) values (1, 0);
