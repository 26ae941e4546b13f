-- Nothing reads meeting events by time: the feed reads by owner (and meeting or label) and sequence
-- number, and pruning walks the sequence numbers (EventPruner). The index on "at" only cost every
-- event an index entry of its own (one of five).
drop index meeting_event_at;
