-- PostgreSQL only: batch bodies are stored out of line without compression. They are written on
-- every writer batch and read only by reports, so compressing them (pglz, the default) would spend
-- CPU on the busiest path to save disk on the quietest; a record's line is about 150 bytes.
alter table routing_record_batch alter column body set storage external;
