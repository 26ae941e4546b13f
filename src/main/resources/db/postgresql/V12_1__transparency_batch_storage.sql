-- PostgreSQL only: entry batches are stored out of line without compression, like the records'
-- batches (V11_1): written on every writer batch, read only for proofs and the self-check.
alter table transparency_entry_batch alter column bodies set storage external;
alter table transparency_entry_batch alter column leaf_hashes set storage external;
alter table transparency_entry_batch alter column account_hashes set storage external;
