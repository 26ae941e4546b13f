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
     * The receipt of a record that has been handed to the writer; empty when the log is off. Called
     * on the request path: computation only, no I/O, never throws.
     */
    Optional<Receipt> receipt(RoutingRecord record);

    /**
     * The receipt of a record about to be handed to the writer: like {@link #receipt}, and the log
     * may keep what it computed for it until {@link #append} (or {@link #withdraw}), so that the
     * writer does not compute it again.
     */
    default Optional<Receipt> handOff(RoutingRecord record) {
        return receipt(record);
    }

    /** A record given to {@link #handOff} was not accepted by the writer (queue full): forget it. */
    default void withdraw(String factId) {
    }

    /**
     * Writes the log entries of a batch through the connection (and in the transaction) that wrote
     * the batch's record rows. With {@code retry}, the batch may have been written before: entries
     * that exist are kept exactly as they are.
     */
    void append(Connection connection, List<RoutingRecord> batch, boolean retry) throws SQLException;

    /**
     * The records with these ids are being deleted by retention, in this transaction: drop what the
     * log keeps of them beyond the hashes its proofs need.
     */
    void retain(Connection connection, List<String> deletedIds) throws SQLException;
}
