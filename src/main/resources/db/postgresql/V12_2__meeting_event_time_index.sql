-- PostgreSQL only; numbered 12.2 so that the next shared migration can still be V13. H2, the
-- embedded default, keeps the index: it costs little there and nothing reads it.
--
-- Nothing reads meeting events by time: the feed reads by owner (and meeting or label) and sequence
-- number, and pruning walks the sequence numbers (EventPruner). The index on "at" only cost every
-- event an index entry of its own (one of five).
--
-- CONCURRENTLY, so that replicas still running keep appending events while it goes (a plain DROP
-- INDEX waits for every open transaction on the table and blocks the writes queued behind it; see
-- V4_1 for how Flyway runs such a script).

drop index concurrently if exists meeting_event_at;
