package io.meridian.transparency;

import io.meridian.records.RecordLog;
import io.meridian.records.RoutingRecord;
import io.meridian.transparency.log.Hash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transparency log's side of the records path: every batch of routing records the writer
 * commits also inserts one entry and one pending row per record, on the records' own connection,
 * so record and entry commit or roll back together. The entry's bytes and leaf hash are computed
 * once, on the request thread, whose receipt needs the leaf hash, and kept until the writer appends
 * them; a record the writer gets without them (a retry, a record recorded without a receipt) is
 * encoded again, and the format is deterministic, so both agree.
 */
@ApplicationScoped
public class EntryWriter implements RecordLog {

    private static final Logger LOG = Logger.getLogger(EntryWriter.class);

    private final Optional<LogEntries> entries;
    /** Entries encoded by {@link #handOff}, by fact id, until the writer appends them. */
    private final ConcurrentHashMap<String, LogEntries.Encoded> handedOff = new ConcurrentHashMap<>();

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

    @Override
    public Optional<Receipt> receipt(RoutingRecord record) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Receipt(record.planId(), entries.get().encode(record).leafHash().base64()));
        } catch (RuntimeException e) {
            // the writer meets the same problem and drops the record with its entry
            LOG.errorf("The transparency log entry of plan %s cannot be encoded: %s", record.planId(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Encodes the entry once, on the request thread (its receipt needs the leaf hash), and keeps it
     * for {@link #append}: entries of records in the writer's queue, at most
     * {@code meridian.records.queue-capacity} of them (a few hundred bytes each).
     */
    @Override
    public Optional<Receipt> handOff(RoutingRecord record) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        try {
            LogEntries.Encoded e = entries.get().encode(record);
            handedOff.put(record.planId(), e);
            return Optional.of(new Receipt(record.planId(), e.leafHash().base64()));
        } catch (RuntimeException e) {
            LOG.errorf("The transparency log entry of plan %s cannot be encoded: %s", record.planId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Entries encoded for receipts and not yet appended (or withdrawn). */
    int handedOff() {
        return handedOff.size();
    }

    @Override
    public void withdraw(String factId) {
        handedOff.remove(factId);
    }

    @Override
    public void append(Connection c, List<RoutingRecord> batch, boolean retry) throws SQLException {
        if (entries.isEmpty() || batch.isEmpty()) {
            return;
        }
        List<LogEntries.Encoded> encoded = new ArrayList<>(batch.size());
        for (RoutingRecord r : batch) {
            LogEntries.Encoded known = handedOff.remove(r.planId());
            if (known != null) {
                encoded.add(known);
                continue;
            }
            try {
                encoded.add(entries.get().encode(r));
            } catch (RuntimeException e) {
                // SQL state class 22 (data exception): the recorder retries record by record and drops only this one
                throw new SQLException("the log entry of plan " + r.planId() + " cannot be encoded: " + e.getMessage(),
                        "22000", e);
            }
        }
        Optional<PGConnection> pg = PgCopy.of(c);
        if (!retry && pg.isPresent()) {
            // PostgreSQL, first attempt: the entries and their pending rows as two COPY streams
            PgCopy rows = new PgCopy(encoded.size() * 700);
            PgCopy pending = new PgCopy(encoded.size() * 28);
            for (LogEntries.Encoded e : encoded) {
                rows.value(e.factId()).value(e.time()).bytes(e.leafHash().bytes())
                        .bytes(e.accountHash().map(Hash::bytes).orElse(null)).bytes(e.body()).endRow();
                pending.value(e.factId()).endRow();
            }
            rows.into(pg.get(), "transparency_entry (entry_id, created_at, leaf_hash, account_hash, body)");
            pending.into(pg.get(), "transparency_pending (entry_id)");
            return;
        }
        insert(c, encoded, retry);
    }

    /**
     * Plain inserts (H2, and every retry). A retry inserts only entries that are not there yet, and
     * a pending row only for those: an entry written by an attempt whose commit outcome was unknown
     * may have been sequenced since, and must stay exactly as it is.
     */
    private static void insert(Connection c, List<LogEntries.Encoded> encoded, boolean retry) throws SQLException {
        String sql = retry
                ? "insert into transparency_entry (entry_id, created_at, leaf_hash, account_hash, body) "
                + "select ?, ?, ?, ?, ? where not exists (select 1 from transparency_entry where entry_id = ?)"
                : "insert into transparency_entry (entry_id, created_at, leaf_hash, account_hash, body) "
                + "values (?, ?, ?, ?, ?)";
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (LogEntries.Encoded e : encoded) {
                ps.setString(1, e.factId());
                ps.setLong(2, e.time());
                ps.setBytes(3, e.leafHash().bytes());
                ps.setBytes(4, e.accountHash().map(Hash::bytes).orElse(null));
                ps.setBytes(5, e.body());
                if (retry) {
                    ps.setString(6, e.factId());
                }
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into transparency_pending (entry_id) values (?)")) {
            int added = 0;
            for (int i = 0; i < encoded.size(); i++) {
                // SUCCESS_NO_INFO (-2) counts as inserted: only a plain insert reports it, and it cannot skip a row
                if (counts[i] != 0) {
                    ps.setString(1, encoded.get(i).factId());
                    ps.addBatch();
                    added++;
                }
            }
            if (added > 0) {
                ps.executeBatch();
            }
        }
    }

    @Override
    public void retain(Connection c, List<String> deletedIds) throws SQLException {
        // an entry still waiting for its leaf keeps its row: the sequencer needs its hashes
        try (PreparedStatement ps = c.prepareStatement("delete from transparency_entry where entry_id = ? and not exists "
                + "(select 1 from transparency_pending p where p.entry_id = transparency_entry.entry_id)")) {
            for (String id : deletedIds) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
