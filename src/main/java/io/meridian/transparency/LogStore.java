package io.meridian.transparency;

import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.StoredTree;
import io.meridian.transparency.log.TreeHead;
import io.meridian.transparency.log.TreeShape;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the transparency log's tables (plain JDBC, H2 and PostgreSQL alike): heads, leaves,
 * entries, keys, and the stored hashes of {@link StoredTree}. Writes belong to {@link EntryWriter}
 * (entries) and {@link LogLeader} (everything the leader does).
 */
public final class LogStore {

    /** The database's clock in epoch milliseconds (both databases; lease times use it, not the replicas' clocks). */
    static final String NOW_MS = "cast(extract(epoch from current_timestamp) * 1000 as bigint)";

    private final Transactions transactions;
    private final String logId;

    public LogStore(Transactions transactions, String logId) {
        this.transactions = transactions;
        this.logId = logId;
    }

    /** A leaf of the tree and, until retention removed it, its entry. */
    public record Leaf(long leafIndex, String entryId, Hash leafHash, Optional<Hash> accountHash,
                       Optional<byte[]> body) {
    }

    /** An entry not yet given a leaf index. */
    public record Pending(String entryId, long createdAt, Hash leafHash, Optional<Hash> accountHash) {
    }

    /** A public key that signed heads. */
    public record Key(String keyId, String algorithm, byte[] publicKey, long firstUsed) {
    }

    public Optional<SignedTreeHead> latestHead() {
        return transactions.run(c -> latestHead(c));
    }

    Optional<SignedTreeHead> latestHead(Connection c) throws SQLException {
        return head(c, "select tree_size, signed_at, root_hash, key_id, signature from transparency_head "
                + "order by tree_size desc limit 1", -1);
    }

    /** The head signed at exactly this size. */
    public Optional<SignedTreeHead> head(long size) {
        return transactions.run(c -> head(c, "select tree_size, signed_at, root_hash, key_id, signature "
                + "from transparency_head where tree_size = ?", size));
    }

    private Optional<SignedTreeHead> head(Connection c, String sql, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (size >= 0) {
                ps.setLong(1, size);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SignedTreeHead(new TreeHead(logId, rs.getLong(1), rs.getLong(2),
                        new Hash(rs.getBytes(3)), rs.getString(4)), rs.getBytes(5)));
            }
        }
    }

    /** The leaf of an entry (with the entry's body while it is kept). */
    public Optional<Leaf> leafOf(String entryId) {
        return transactions.run(c -> leaf(c, "l.entry_id = ?", ps -> ps.setString(1, entryId)));
    }

    public Optional<Leaf> leaf(long index) {
        return transactions.run(c -> leaf(c, "l.leaf_index = ?", ps -> ps.setLong(1, index)));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static Optional<Leaf> leaf(Connection c, String where, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select l.leaf_index, l.entry_id, l.leaf_hash, l.account_hash, "
                + "l.batch_seq from transparency_leaf l where " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(leaf(c, rs, new LastBatch()));
            }
        }
    }

    /**
     * The batch last read, kept while consecutive leaves come from it (leaves of one batch have
     * consecutive indices), so that a range of leaves reads each batch once and holds one at a time.
     */
    private static final class LastBatch {
        private long seq = -1;
        private Map<String, LogEntries.Encoded> entries = Map.of();

        /** The body of entry {@code id} in batch {@code wanted}, if kept. */
        Optional<byte[]> body(Connection c, long wanted, String id) throws SQLException {
            if (wanted != seq) {
                entries = new HashMap<>();
                for (LogEntries.Encoded e : batch(c, wanted).map(EntryBatch::entries).orElse(List.of())) {
                    entries.put(e.factId(), e);
                }
                seq = wanted;
            }
            return Optional.ofNullable(entries.get(id)).map(LogEntries.Encoded::body);
        }
    }

    /** The leaf of the current row (index, id, leaf hash, account hash, batch), with its body where kept. */
    private static Leaf leaf(Connection c, ResultSet rs, LastBatch batches) throws SQLException {
        String id = rs.getString(2);
        long seq = rs.getLong(5);
        Optional<byte[]> body = Optional.empty();
        if (!rs.wasNull()) {
            body = batches.body(c, seq, id);
        }
        return new Leaf(rs.getLong(1), id, new Hash(rs.getBytes(3)), Optional.ofNullable(rs.getBytes(4)).map(Hash::new),
                body);
    }

    /** A stored batch of entries. */
    static Optional<EntryBatch> batch(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + BATCH_COLUMNS
                + " from transparency_entry_batch where seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(batch(rs, 1)) : Optional.empty();
            }
        }
    }

    /** The columns {@link #batch(ResultSet, int)} reads, in its order. */
    static final String BATCH_COLUMNS = "ids, created_at, leaf_hashes, account_flags, account_hashes, body_lengths, bodies";

    /** The batch whose {@link #BATCH_COLUMNS} start at column {@code first}. */
    static EntryBatch batch(ResultSet rs, int first) throws SQLException {
        return EntryBatch.parse(new EntryBatch.Columns(rs.getString(first), rs.getString(first + 1),
                rs.getBytes(first + 2), rs.getString(first + 3), rs.getBytes(first + 4), rs.getString(first + 5),
                rs.getBytes(first + 6)));
    }

    /** An entry that has no leaf yet. */
    public Optional<Pending> pending(String entryId) {
        return transactions.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + BATCH_COLUMNS + " from transparency_pending_batch p "
                    + "join transparency_entry_batch b on b.seq = p.seq where b.first_id <= ? and b.last_id >= ?")) {
                ps.setString(1, entryId);
                ps.setString(2, entryId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Optional<LogEntries.Encoded> e = batch(rs, 1).entry(entryId);
                        if (e.isPresent()) {
                            return Optional.of(new Pending(entryId, e.get().time(), e.get().leafHash(),
                                    e.get().accountHash()));
                        }
                    }
                    return Optional.<Pending>empty();
                }
            }
        });
    }

    /** Entries waiting for a leaf index. */
    public long pendingCount() {
        return transactions.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("select coalesce(sum(b.entries), 0) from "
                    + "transparency_pending_batch p join transparency_entry_batch b on b.seq = p.seq");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Every key that signed a head, oldest first. */
    public List<Key> keys() {
        return transactions.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("select key_id, algorithm, public_key, first_used "
                    + "from transparency_key order by first_used, key_id");
                 ResultSet rs = ps.executeQuery()) {
                List<Key> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(new Key(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getLong(4)));
                }
                return keys;
            }
        });
    }

    /** The Merkle hashes of {@code ranges} from the stored leaves and nodes, in one read transaction. */
    public List<byte[]> hashes(List<TreeShape.Range> ranges) {
        return transactions.run(c -> new StoredTree(storage(c)).hashes(ranges));
    }

    /** The root of the first {@code size} leaves, from the stored hashes. */
    public byte[] root(long size) {
        return transactions.run(c -> new StoredTree(storage(c)).root(size));
    }

    /** The stored hashes, read through {@code c}: level 0 from the leaves, the others from the nodes. */
    static StoredTree.Storage storage(Connection c) {
        return (level, ranges) -> {
            try {
                return read(c, level, ranges);
            } catch (SQLException e) {
                throw new Transactions.LogStoreException("reading the log's hashes failed", e);
            }
        };
    }

    /** Ranges per statement: keeps statements short however many ranges a read needs. */
    private static final int RANGES_PER_QUERY = 64;

    private static Map<Long, byte[]> read(Connection c, int level, List<long[]> ranges) throws SQLException {
        Map<Long, byte[]> out = new HashMap<>();
        for (int from = 0; from < ranges.size(); from += RANGES_PER_QUERY) {
            List<long[]> part = ranges.subList(from, Math.min(ranges.size(), from + RANGES_PER_QUERY));
            StringBuilder sql = new StringBuilder(level == 0
                    ? "select leaf_index, leaf_hash from transparency_leaf where "
                    : "select node_index, hash from transparency_node where level = ? and (");
            String column = level == 0 ? "leaf_index" : "node_index";
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : " or ").append('(').append(column).append(" >= ? and ").append(column)
                        .append(" < ?)");
            }
            if (level != 0) {
                sql.append(')');
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                if (level != 0) {
                    ps.setInt(p++, level);
                }
                for (long[] r : part) {
                    ps.setLong(p++, r[0]);
                    ps.setLong(p++, r[1]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), rs.getBytes(2));
                    }
                }
            }
        }
        return out;
    }

    /** Leaves {@code [from, to)} with their entries' bodies where kept, in index order. */
    public Map<Long, Leaf> leaves(long from, long to) {
        return transactions.run(c -> {
            Map<Long, Leaf> out = new LinkedHashMap<>();
            LastBatch batches = new LastBatch();
            try (PreparedStatement ps = c.prepareStatement("select l.leaf_index, l.entry_id, l.leaf_hash, "
                    + "l.account_hash, l.batch_seq from transparency_leaf l where l.leaf_index >= ? and l.leaf_index < ? "
                    + "order by l.leaf_index")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Leaf leaf = leaf(c, rs, batches);
                        out.put(leaf.leafIndex(), leaf);
                    }
                }
            }
            return out;
        });
    }

    /** Stored nodes of one level in {@code [from, to)}. */
    public Map<Long, byte[]> nodes(int level, long from, long to) {
        return transactions.run(c -> read(c, level, List.of(new long[]{from, to})));
    }
}
