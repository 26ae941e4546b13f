-- Meeting events (io.meridian.events): the durable feed a controller drives its media servers from.
-- Written for PostgreSQL and H2 (PostgreSQL mode) alike.

-- The one counter that numbers events. A transaction that appends events takes this row's lock as
-- its last step and keeps it until it commits, so sequence numbers are handed out in commit order:
-- a reader that has seen seq n never later finds a smaller one appear (no gap is ever filled in).
create table meeting_event_sequence (
    id       integer not null primary key,
    last_seq bigint  not null
);

insert into meeting_event_sequence (id, last_seq) values (1, 0);

-- One row per event. owner is the principal that created the meeting (who may read its events);
-- body is the event's JSON object without its seq, exactly as the feed serves it.
create table meeting_event (
    seq        bigint        not null primary key,
    meeting_id varchar(26)   not null,
    owner      varchar(256)  not null,
    at         timestamp with time zone not null,
    type       varchar(32)   not null,
    body       varchar(60000) not null
);

create index meeting_event_owner_seq on meeting_event (owner, seq);
create index meeting_event_meeting_seq on meeting_event (meeting_id, seq);
create index meeting_event_at on meeting_event (at);
