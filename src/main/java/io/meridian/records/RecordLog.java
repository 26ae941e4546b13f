package io.meridian.records;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A log that every written routing record also goes into, in the same database transaction as its
 * record row, so that no fact is in one and not the other: the transparency log implements it.
 * Records only call it; they know nothing of its tables.
 */
public interface RecordLog {

    /**
     * What the client that was answered is told about the log entry of its record.
     *
     * @param factId    the record's id (the plan id)
     * @param entryHash the entry's Merkle leaf hash, base64
     */
    record Receipt(String factId, String entryHash) {
    }

    /**
     * What the log computed for a record on the request path (the entry's bytes and hashes), kept
     * with the record in the writer's queue so that {@link #append} does not compute it again.
     */
    interface Entry {
        /** The receipt of this entry. */
        Receipt receipt();
    }

    /**
     * The entry of a record about to be handed to the writer; empty when the log is off or the
     * record cannot be encoded (the writer then meets the same problem and drops the record). Called
     * on the request path: computation only, no I/O, never throws.
     */
    Optional<Entry> encode(RoutingRecord record);

    /** The receipt the record's entry will have, without keeping anything; empty as for {@link #encode}. */
    default Optional<Receipt> receipt(RoutingRecord record) {
        return encode(record).map(Entry::receipt);
    }

    /**
     * Writes the log entries of a batch through the connection (and in the transaction) that wrote
     * the batch's record rows, using the {@link QueuedRecord#entry() entries} this log made where
     * there are some. With {@code retry}, the batch may have been written before: entries
     * that exist are kept exactly as they are.
     */
    void append(Connection connection, List<QueuedRecord> batch, boolean retry) throws SQLException;

    /**
     * The records with these ids are being deleted by retention, in this transaction: drop what the
     * log keeps of them beyond the hashes its proofs need.
     */
    void retain(Connection connection, List<String> deletedIds) throws SQLException;
}
