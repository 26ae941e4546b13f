package io.meridian.records;

import java.util.Objects;

/**
 * A routing record in the writer's queue, with the log entry made for it on the request thread when
 * its answer carries a receipt: the entry travels with its record, so the writer takes it from here
 * instead of computing it again, and nothing outside the queue holds it.
 *
 * @param record the record
 * @param entry  the entry the log made for the receipt; null when none was made (the log then
 *               encodes the entry on the writer)
 */
public record QueuedRecord(RoutingRecord record, RecordLog.Entry entry) {

    public QueuedRecord {
        Objects.requireNonNull(record, "record");
    }

    /** The record without a log entry. */
    public static QueuedRecord of(RoutingRecord record) {
        return new QueuedRecord(record, null);
    }
}
