-- PostgreSQL only (H2, the embedded default, has no partial indexes and keeps V3's). Numbered 4.1,
-- between the shared migrations, so that the next shared one can still be V5.
--
-- Both indexes serve queries that name an account (the traffic report), and a meeting too (the
-- meeting history). Plans made without an account, or without a meeting, are recorded all the same
-- but can never be found through these indexes, so they stay out of them: every such plan costs the
-- database one index entry instead of three. The planner uses a partial index for "account_id = ?"
-- because an equality can never hold for a null.
--
-- CONCURRENTLY, so that replicas still running keep writing records while the new indexes are built
-- over up to a retention period of rows (a plain CREATE/DROP INDEX would block their writes for the
-- whole build). Flyway runs a script of such statements outside a transaction (and, with
-- FlywaySettings, without an open transaction of its own, which CONCURRENTLY would wait for). Each
-- new index is dropped before it is built, so a run after a failed one never keeps an index a failed
-- build left INVALID; the old indexes go only after both new ones are built.

drop index concurrently if exists routing_record_account_time_p;

create index concurrently routing_record_account_time_p on routing_record (account_id, recorded_at)
    where account_id is not null;

drop index concurrently if exists routing_record_meeting_p;

create index concurrently routing_record_meeting_p on routing_record (account_id, meeting_id, plan_id)
    where account_id is not null and meeting_id is not null;

drop index concurrently if exists routing_record_account_time;

drop index concurrently if exists routing_record_meeting;
