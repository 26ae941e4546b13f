package io.meridian.transparency;

import io.meridian.records.QueuedRecord;
import io.meridian.records.RecordLog;
import io.meridian.records.RoutingRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The transparency log's side of the records path: every batch of routing records the writer
 * commits also inserts its entries as one {@link EntryBatch} row and one pending row, on the
 * records' own connection, so records and entries commit or roll back together. The entry's bytes and leaf hash are computed
 * once, on the request thread, whose receipt needs the leaf hash, and travel with the record in the
 * writer's queue ({@link QueuedRecord}); a record the writer gets without them (one recorded without
 * a receipt) is encoded there, and the format is deterministic, so both agree.
 */
@ApplicationScoped
public class EntryWriter implements RecordLog {

    private static final Logger LOG = Logger.getLogger(EntryWriter.class);

    private final Optional<LogEntries> entries;

    @Inject
    public EntryWriter(TransparencyConfig config, TransparencyKeys keys) {
        if (config.enabled() && keys.hashes().isEmpty()) {
            LOG.warn("The transparency log is enabled but has no hash secret "
                    + "(meridian.transparency.hash-secret.location): routing records are not logged");
        }
        this.entries = config.enabled() ? keys.hashes().map(LogEntries::new) : Optional.empty();
    }

    /** Whether records go into the log. */
    public boolean enabled() {
        return entries.isPresent();
    }

    /** The entries mapper, for the API (account keys) when the log is on. */
    public Optional<LogEntries> entries() {
        return entries;
    }

    /**
     * Encodes the entry on the request thread (its receipt needs the leaf hash); the entry then travels
     * with its record in the writer's queue to {@link #append}.
     */
    @Override
    public Optional<Entry> encode(RoutingRecord record) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(entries.get().encode(record));
        } catch (RuntimeException e) {
            // the writer meets the same problem and drops the record with its entry
            LOG.errorf("The transparency log entry of plan %s cannot be encoded: %s", record.planId(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void append(Connection c, List<QueuedRecord> batch, boolean retry) throws SQLException {
        if (entries.isEmpty() || batch.isEmpty()) {
            return;
        }
        List<LogEntries.Encoded> encoded = new ArrayList<>(batch.size());
        for (QueuedRecord queued : batch) {
            if (queued.entry() instanceof LogEntries.Encoded known) {
                encoded.add(known);
                continue;
            }
            RoutingRecord r = queued.record();
            try {
                encoded.add(entries.get().encode(r));
            } catch (RuntimeException e) {
                // SQL state class 22 (data exception): the recorder retries record by record and drops only this one
                throw new SQLException("the log entry of plan " + r.planId() + " cannot be encoded: " + e.getMessage(),
                        "22000", e);
            }
        }
        for (EntryBatch b : EntryBatch.of(encoded)) {
            if (retry && stored(c, b.key())) {
                // written by an attempt whose commit outcome was unknown (and maybe sequenced since): kept as it is
                continue;
            }
            insert(c, b);
        }
    }

    private static boolean stored(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from transparency_entry_batch where batch_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** One batch row and its pending row. */
    private static void insert(Connection c, EntryBatch b) throws SQLException {
        EntryBatch.Columns cols = b.columns();
        long seq;
        try (PreparedStatement ps = c.prepareStatement("insert into transparency_entry_batch (batch_key, entries, "
                + "first_id, last_id, first_at, last_at, ids, created_at, leaf_hashes, account_flags, account_hashes, "
                + "body_lengths, bodies) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[]{"seq"})) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (LogEntries.Encoded e : b.entries()) {
                first = Math.min(first, e.time());
                last = Math.max(last, e.time());
            }
            ps.setString(1, b.key());
            ps.setInt(2, b.entries().size());
            ps.setString(3, b.firstId());
            ps.setString(4, b.lastId());
            ps.setLong(5, first);
            ps.setLong(6, last);
            bind(ps, 7, cols);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                seq = keys.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into transparency_pending_batch (seq) values (?)")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }

    /** Binds a batch's columns, in the order ids, times, leaf hashes, account flags, account hashes, lengths, bodies. */
    private static void bind(PreparedStatement ps, int first, EntryBatch.Columns cols) throws SQLException {
        ps.setString(first, cols.ids());
        ps.setString(first + 1, cols.times());
        ps.setBytes(first + 2, cols.leafHashes());
        ps.setString(first + 3, cols.accountFlags());
        ps.setBytes(first + 4, cols.accountHashes());
        ps.setString(first + 5, cols.bodyLengths());
        ps.setBytes(first + 6, cols.bodies());
    }

    /**
     * Drops the bodies of deleted records' entries: a batch whose every entry is gone is deleted, one
     * with some left is written again without the others. Entries still waiting for their leaf keep
     * their bodies (the sequencer needs their hashes); they are dropped by a later run.
     */
    @Override
    public void retain(Connection c, List<String> deletedIds) throws SQLException {
        Map<Long, Set<String>> byBatch = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select batch_seq from transparency_leaf where entry_id = ? and batch_seq is not null")) {
            for (String id : deletedIds) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        byBatch.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(id);
                    }
                }
            }
        }
        for (Map.Entry<Long, Set<String>> batch : byBatch.entrySet()) {
            Optional<EntryBatch> stored = LogStore.batch(c, batch.getKey());
            if (stored.isEmpty()) {
                continue;
            }
            List<LogEntries.Encoded> kept = stored.get().entries().stream()
                    .filter(e -> !batch.getValue().contains(e.factId())).toList();
            if (kept.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("delete from transparency_entry_batch where seq = ?")) {
                    ps.setLong(1, batch.getKey());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "update transparency_leaf set batch_seq = null where batch_seq = ?")) {
                    ps.setLong(1, batch.getKey());
                    ps.executeUpdate();
                }
                continue;
            }
            EntryBatch.Columns cols = new EntryBatch(kept).columns();
            try (PreparedStatement ps = c.prepareStatement("update transparency_entry_batch set entries = ?, ids = ?, "
                    + "created_at = ?, leaf_hashes = ?, account_flags = ?, account_hashes = ?, body_lengths = ?, "
                    + "bodies = ? where seq = ?")) {
                ps.setInt(1, kept.size());
                bind(ps, 2, cols);
                ps.setLong(9, batch.getKey());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update transparency_leaf set batch_seq = null where batch_seq = ? and entry_id = ?")) {
                for (String id : batch.getValue()) {
                    ps.setLong(1, batch.getKey());
                    ps.setString(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
