-- PostgreSQL only (H2, the embedded default, has no partial indexes and keeps V3's).
--
-- Both indexes serve queries that name an account (the traffic report), and a meeting too (the
-- meeting history). Plans made without an account, or without a meeting, are recorded all the same
-- but can never be found through these indexes, so they stay out of them: every such plan costs the
-- database one index entry instead of three. The planner uses a partial index for "account_id = ?"
-- because an equality can never hold for a null.

drop index routing_record_account_time;
create index routing_record_account_time on routing_record (account_id, recorded_at)
    where account_id is not null;

drop index routing_record_meeting;
create index routing_record_meeting on routing_record (account_id, meeting_id, plan_id)
    where account_id is not null and meeting_id is not null;
