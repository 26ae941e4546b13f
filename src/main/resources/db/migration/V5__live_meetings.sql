-- Live meetings: the ledger's live places next to its reservations, and the meetings themselves.
-- Written for PostgreSQL and H2 (PostgreSQL mode) alike. No foreign keys on the hot tables (their
-- per-row checks cost more than the rows; every writer holds the meeting's row lock): rows of a
-- meeting are deleted with it explicitly.

-- ---- The capacity ledger (io.meridian.ledger) ---------------------------------------------------
-- On each data center's row, next to the reserved counter: places held by live participants, and
-- how many of them the newest load report saw (so they are not counted twice; see CapacitySnapshot).
-- Both change only under the row's lock, in the transaction that changes the holds or the report.
alter table data_center_state add column live integer default 0 not null;
alter table data_center_state add column live_at_report integer default 0 not null;

-- A live meeting as a holder of places: its lease (shared by every place it holds) and the
-- reservation it was created from, if any. Places of a holder whose lease ran out stop counting at
-- once, before the meeting is ended and its rows deleted.
create table live_holder (
    meeting_id     varchar(26) not null primary key,
    expires_at     timestamp with time zone not null,
    reservation_id varchar(26)
);

create index live_holder_expires_at on live_holder (expires_at);
create index live_holder_reservation on live_holder (reservation_id);

-- Places a live meeting holds on one data center. reserved_floor: places its reservation keeps for
-- it there, so a leave below the floor gives the place back to the reservation, not to everyone.
create table live_hold (
    meeting_id     varchar(26) not null,
    data_center_id varchar(63) not null,
    places         integer     not null,
    reserved_floor integer     not null,
    primary key (meeting_id, data_center_id)
);

create index live_hold_data_center on live_hold (data_center_id);

-- Every change of a data center's live counter, one row per transaction and data center, kept for
-- meridian.ledger.report-window: a load report stamped reportedAt saw live - (changes after it).
create table live_journal (
    data_center_id varchar(63) not null,
    changed_at     timestamp with time zone not null,
    places         integer     not null
);

create index live_journal_site_time on live_journal (data_center_id, changed_at);

-- ---- Live meetings (io.meridian.meeting) --------------------------------------------------------
-- Region lists are sorted, comma-separated codes; allowed NULL means "no allow-list". The request's
-- own restriction is kept apart from the effective policy, which an account policy change remakes.
create table meeting (
    id              varchar(26)   not null primary key,
    label           varchar(128),
    account_id      varchar(128),
    created_by      varchar(256)  not null,
    created_at      timestamp with time zone not null,
    request_blocked varchar(1200) not null,
    request_allowed varchar(1200),
    blocked_regions varchar(1200) not null,
    allowed_regions varchar(1200),
    policy_sources  varchar(1200) not null,
    -- version of the account's stored policy in the effective one, 0 when none applied
    policy_version  bigint        not null,
    reservation_id  varchar(26),
    -- the sticky cascade: "primary;from>to,from>to", null while nobody is in the meeting
    cascade_links   varchar(4000)
);

create index meeting_account on meeting (account_id);

-- One row per participant present. latitude/longitude/measured_rtts keep what placing it again
-- needs (a move); rtt_ms is its access RTT to its data center.
create table meeting_participant (
    meeting_id     varchar(26)      not null,
    participant_id varchar(128)     not null,
    data_center_id varchar(63)      not null,
    rtt_ms         double precision not null,
    measured       boolean          not null,
    latitude       double precision not null,
    longitude      double precision not null,
    -- the client's measurements, "dc=ms;dc=ms", null when none
    measured_rtts  varchar(20000),
    joined_at      timestamp with time zone not null,
    primary key (meeting_id, participant_id)
);

-- the two largest RTTs left on a data center after a leave, without a scan
create index meeting_participant_site_rtt on meeting_participant (meeting_id, data_center_id, rtt_ms);

-- Per meeting and data center used: the aggregates a join is placed from (never the participants).
-- rtt_sum_us is the sum of the participants' RTTs in whole microseconds, so joins and leaves add
-- and subtract exactly; top2 is null below two participants.
create table meeting_site (
    meeting_id     varchar(26)      not null,
    data_center_id varchar(63)      not null,
    participants   integer          not null,
    rtt_sum_us     bigint           not null,
    top1_rtt_ms    double precision not null,
    top2_rtt_ms    double precision,
    primary key (meeting_id, data_center_id)
);

-- ---- Routing records (io.meridian.records) ------------------------------------------------------
-- Joins, leaves and meeting ends are recorded next to plans.
alter table routing_record add column kind varchar(8) default 'PLAN' not null;
alter table routing_record add column participant_id varchar(128);
