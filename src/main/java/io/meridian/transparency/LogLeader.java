package io.meridian.transparency;

import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.StoredTree;
import io.meridian.transparency.log.TreeHead;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What one replica does as the log's leader, and how it becomes and stays leader: a lease in the
 * single row of {@code transparency_state}, taken and renewed on the database's clock, with an
 * epoch that grows with every change of leader.
 *
 * <p><b>No split brain.</b> Every leader step (sequencing a batch, signing a head) runs in one
 * transaction that first locks the state row and checks that it still names this replica with the
 * epoch it acquired. A takeover updates the same row, so it is ordered before or after each step by
 * that lock: a step ordered after it sees another holder or a newer epoch and changes nothing. Two
 * replicas may both believe they lead for a moment (a paused leader whose lease ran out); only one
 * of them can write. The lease only decides who tries; the row lock decides who succeeds.
 *
 * <p><b>A dense order.</b> Leaf indices are assigned here, from the tree size in the locked row, to
 * the oldest pending entries in arrival order: {@code size, size + 1, ...}, then the size grows by
 * as many, in the same transaction. A rolled-back step assigns nothing; entries whose transaction
 * committed late are simply sequenced by a later step. The index space has no gaps.
 */
public final class LogLeader {

    private static final Logger LOG = Logger.getLogger(LogLeader.class);

    /** The signing key of this replica. */
    public record SigningKey(PrivateKey privateKey, byte[] publicKey, String keyId) {
    }

    /** This replica lost (or never had) the lease while it meant to act as leader. */
    static final class NotLeaderException extends RuntimeException {
        NotLeaderException(String message) {
            super(message);
        }
    }

    /** What a step did. */
    public record Step(boolean leader, long sequenced, Optional<SignedTreeHead> signed) {
    }

    private final Transactions transactions;
    private final String replica;
    private final String logId;
    private final Duration lease;
    private final int batch;
    private final LongSupplier clock;
    private volatile SigningKey key;
    private volatile long epoch = -1;

    public LogLeader(Transactions transactions, String replica, String logId, Duration lease, int batch,
                     SigningKey key, LongSupplier clock) {
        this.transactions = transactions;
        this.replica = replica;
        this.logId = logId;
        this.lease = lease;
        this.batch = batch;
        this.key = key;
        this.clock = clock;
    }

    public String replica() {
        return replica;
    }

    /** Whether this replica held the lease at its last attempt. */
    public boolean leading() {
        return epoch >= 0;
    }

    /** Signs with another key from now on (rotation without restart: tests; a restart does the same). */
    void useKey(SigningKey next) {
        this.key = next;
    }

    /**
     * One round: take or renew the lease; as leader, sequence every pending entry (in batches, for
     * at most {@code budget}) and sign a head of the new size.
     */
    public Step step(Duration budget) {
        if (!acquire()) {
            return new Step(false, 0, Optional.empty());
        }
        long[] sequenced = {0};
        try {
            sequence(budget, sequenced);
            return new Step(true, sequenced[0], Optional.of(sign()));
        } catch (NotLeaderException e) {
            lost(e);
            return new Step(false, sequenced[0], Optional.empty());
        }
    }

    /**
     * Between heads: as the leader of the last step, sequence what is pending (for at most
     * {@code budget}), signing nothing. Entries get their leaves in small steps as they come, not
     * all of a head interval's at once; every batch is fenced like any other, so a replica that
     * lost the lease meanwhile writes nothing. Answers how many entries it took off the queue.
     */
    public long sequencePending(Duration budget) {
        if (epoch < 0 || !anyPending()) {
            // nothing to do: no fenced transaction (it would write the lease row every time)
            return 0;
        }
        long[] sequenced = {0};
        try {
            sequence(budget, sequenced);
        } catch (NotLeaderException e) {
            lost(e);
        }
        return sequenced[0];
    }

    private void sequence(Duration budget, long[] sequenced) {
        long deadline = System.nanoTime() + budget.toNanos();
        int n;
        do {
            n = sequenceBatch();
            sequenced[0] += n;
        } while (n >= batch && System.nanoTime() < deadline);
    }

    private boolean anyPending() {
        return transactions.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from transparency_pending_batch fetch first 1 rows only");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    private void lost(NotLeaderException e) {
        LOG.infof("Replica %s is no longer the transparency log's leader: %s", replica, e.getMessage());
        epoch = -1;
    }

    /** Takes the lease if it is free or expired, renews it if this replica holds it. */
    boolean acquire() {
        long before = epoch;
        long now = transactions.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("update transparency_state set "
                    + "epoch = case when leader = ? then epoch else epoch + 1 end, leader = ?, "
                    + "lease_until = " + LogStore.NOW_MS + " + ? "
                    + "where id = 1 and (leader = ? or leader is null or lease_until < " + LogStore.NOW_MS + ")")) {
                ps.setString(1, replica);
                ps.setString(2, replica);
                ps.setLong(3, lease.toMillis());
                ps.setString(4, replica);
                if (ps.executeUpdate() == 0) {
                    return -1L;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select epoch from transparency_state where id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        epoch = now;
        if (now >= 0 && now != before) {
            LOG.infof("Replica %s leads the transparency log (epoch %d)", replica, now);
        }
        return now >= 0;
    }

    /** Gives the lease up (clean shutdown), so that another replica takes over at its next step. */
    public void release() {
        transactions.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("update transparency_state set leader = null, lease_until = 0 "
                    + "where id = 1 and leader = ?")) {
                ps.setString(1, replica);
                return ps.executeUpdate();
            }
        });
        epoch = -1;
    }

    /** Locks the state row, checks this replica still leads at its epoch, renews the lease; returns the tree size. */
    private long fence(Connection c) throws SQLException {
        long mine = epoch;
        try (PreparedStatement ps = c.prepareStatement("select leader, epoch, tree_size from transparency_state "
                + "where id = 1 for update")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (mine < 0 || !replica.equals(rs.getString(1)) || rs.getLong(2) != mine) {
                    throw new NotLeaderException("the lease is held by " + rs.getString(1) + " at epoch " + rs.getLong(2));
                }
                long size = rs.getLong(3);
                try (PreparedStatement renew = c.prepareStatement("update transparency_state set lease_until = "
                        + LogStore.NOW_MS + " + ? where id = 1")) {
                    renew.setLong(1, lease.toMillis());
                    renew.executeUpdate();
                }
                return size;
            }
        }
    }

    private record Candidate(long batch, String entryId, byte[] leafHash, byte[] accountHash) {
    }

    /**
     * Gives the entries of the oldest pending batches (whole batches, until at least one leader
     * batch of entries) the next leaf indices; returns how many entries it took off the queue.
     *
     * <p>An entry that already has a leaf (it can be pending twice: a writer batch whose commit
     * outcome was unknown, retried as part of a batch made up differently) is skipped, never given a
     * second leaf. The leaves' unique entry ids are what tells: the first attempt writes the leaves
     * without asking which exist, and only if that breaks the constraint is the step done again,
     * asking first (a lookup per entry, which every step otherwise spent for a case that almost
     * never happens).
     */
    int sequenceBatch() {
        try {
            return sequenceBatch(false);
        } catch (RuntimeException e) {
            if (!breaksUniqueness(e)) {
                throw e;
            }
            LOG.warn("Some pending transparency entries already have a leaf; sequencing them again, skipping those");
            return sequenceBatch(true);
        }
    }

    /** Whether a unique constraint refused a write (SQL state 23505, on PostgreSQL and H2 alike). */
    private static boolean breaksUniqueness(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private int sequenceBatch(boolean askFirst) {
        return transactions.run(c -> {
            long size = fence(c);
            List<Long> done = new ArrayList<>();
            List<EntryBatch.Leaf> taken = new ArrayList<>();
            List<Long> takenFrom = new ArrayList<>();
            // ids and hashes only: the entries' bytes stay in the database
            try (PreparedStatement ps = c.prepareStatement("select p.seq, b.ids, b.leaf_hashes, b.account_flags, "
                    + "b.account_hashes from transparency_pending_batch p join transparency_entry_batch b on b.seq = p.seq "
                    + "order by p.seq")) {
                ps.setFetchSize(8);
                try (ResultSet rs = ps.executeQuery()) {
                    while (taken.size() < batch && rs.next()) {
                        long seq = rs.getLong(1);
                        done.add(seq);
                        for (EntryBatch.Leaf leaf : EntryBatch.leaves(rs.getString(2), rs.getBytes(3), rs.getString(4),
                                rs.getBytes(5))) {
                            taken.add(leaf);
                            takenFrom.add(seq);
                        }
                    }
                }
            }
            Set<String> sequenced = askFirst ? alreadyLeaves(c, taken) : Set.of();
            List<Candidate> candidates = new ArrayList<>(taken.size());
            Set<String> seen = new HashSet<>();
            int orphans = 0;
            for (int i = 0; i < taken.size(); i++) {
                EntryBatch.Leaf e = taken.get(i);
                if (sequenced.contains(e.id()) || !seen.add(e.id())) {
                    orphans++;
                    continue;
                }
                candidates.add(new Candidate(takenFrom.get(i), e.id(), e.leafHash(), e.accountHash()));
            }
            if (orphans > 0) {
                LOG.errorf("%d pending transparency entries already have a leaf; skipped", orphans);
            }
            List<byte[]> hashes = new ArrayList<>(candidates.size());
            for (Candidate e : candidates) {
                hashes.add(e.leafHash());
            }
            Map<Integer, Map<Long, byte[]>> nodes = new StoredTree(LogStore.storage(c)).completedBy(size, hashes);
            Optional<PGConnection> pg = PgCopy.of(c);
            if (pg.isPresent()) {
                writeCopy(pg.get(), size, candidates, nodes);
            } else {
                writeRows(c, size, candidates, nodes);
            }
            try (PreparedStatement delete = c.prepareStatement("delete from transparency_pending_batch where seq = ?")) {
                for (long seq : done) {
                    delete.setLong(1, seq);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            if (!candidates.isEmpty()) {
                try (PreparedStatement grow = c.prepareStatement("update transparency_state set tree_size = ? where id = 1")) {
                    grow.setLong(1, size + candidates.size());
                    grow.executeUpdate();
                }
            }
            return taken.size();
        });
    }

    /** Ids per statement when asking which entries already have a leaf. */
    private static final int IDS_PER_QUERY = 500;

    /** Which of these entries already have a leaf (never, unless something wrote them twice). */
    private static Set<String> alreadyLeaves(Connection c, List<EntryBatch.Leaf> entries) throws SQLException {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < entries.size(); from += IDS_PER_QUERY) {
            List<EntryBatch.Leaf> part = entries.subList(from, Math.min(entries.size(), from + IDS_PER_QUERY));
            StringBuilder sql = new StringBuilder("select entry_id from transparency_leaf where entry_id in (");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i).id());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    /** PostgreSQL: leaves and nodes as COPY streams. */
    private static void writeCopy(PGConnection pg, long size, List<Candidate> leaves,
                                  Map<Integer, Map<Long, byte[]>> nodes) throws SQLException {
        PgCopy rows = new PgCopy(leaves.size() * 130);
        long index = size;
        for (Candidate e : leaves) {
            rows.row(5).int8(index++).text(e.entryId()).bytes(e.leafHash()).bytes(e.accountHash()).int8(e.batch());
        }
        rows.into(pg, "transparency_leaf (leaf_index, entry_id, leaf_hash, account_hash, batch_seq)");
        PgCopy made = new PgCopy(256);
        nodes.forEach((level, row) -> row.forEach((i, h) -> made.row(3).int4(level).int8(i).bytes(h)));
        made.into(pg, "transparency_node (level, node_index, hash)");
    }

    /** Other databases (H2 in dev and tests): batched statements. */
    private static void writeRows(Connection c, long size, List<Candidate> leaves, Map<Integer, Map<Long, byte[]>> nodes)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into transparency_leaf "
                + "(leaf_index, entry_id, leaf_hash, account_hash, batch_seq) values (?, ?, ?, ?, ?)")) {
            long index = size;
            for (Candidate e : leaves) {
                insert.setLong(1, index++);
                insert.setString(2, e.entryId());
                insert.setBytes(3, e.leafHash());
                insert.setBytes(4, e.accountHash());
                insert.setLong(5, e.batch());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = c.prepareStatement("insert into transparency_node (level, node_index, hash) "
                + "values (?, ?, ?)")) {
            for (Map.Entry<Integer, Map<Long, byte[]>> level : nodes.entrySet()) {
                for (Map.Entry<Long, byte[]> node : level.getValue().entrySet()) {
                    insert.setInt(1, level.getKey());
                    insert.setLong(2, node.getKey());
                    insert.setBytes(3, node.getValue());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /**
     * Signs a head of the current size: a new row when the tree grew, else the latest head signed
     * again with a fresh timestamp (one row per size; a head shows the log is alive even when
     * nothing happened). The timestamp never goes back, even if this replica's clock is behind the
     * previous leader's.
     */
    SignedTreeHead sign() {
        SigningKey signer = key;
        return transactions.run(c -> {
            long size = fence(c);
            Hash root = new Hash(new StoredTree(LogStore.storage(c)).root(size));
            long previousSize = -1;
            long previousTime = 0;
            byte[] previousRoot = null;
            try (PreparedStatement ps = c.prepareStatement("select tree_size, signed_at, root_hash from transparency_head "
                    + "order by tree_size desc limit 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    previousSize = rs.getLong(1);
                    previousTime = rs.getLong(2);
                    previousRoot = rs.getBytes(3);
                }
            }
            if (previousSize > size || previousSize == size && !new Hash(previousRoot).equals(root)) {
                throw new IllegalStateException("the log's stored hashes contradict its latest signed head (size "
                        + previousSize + "): refusing to sign a head of size " + size);
            }
            TreeHead head = new TreeHead(logId, size, Math.max(clock.getAsLong(), previousTime), root, signer.keyId());
            SignedTreeHead signed = new SignedTreeHead(head, Ed25519.sign(signer.privateKey(), head.signedBytes()));
            registerKey(c, signer, head.timestampMillis());
            String sql = previousSize == size
                    ? "update transparency_head set signed_at = ?, root_hash = ?, key_id = ?, signature = ? where tree_size = ?"
                    : "insert into transparency_head (signed_at, root_hash, key_id, signature, tree_size) values (?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, head.timestampMillis());
                ps.setBytes(2, root.bytes());
                ps.setString(3, head.keyId());
                ps.setBytes(4, signed.signature());
                ps.setLong(5, size);
                ps.executeUpdate();
            }
            return signed;
        });
    }

    private static void registerKey(Connection c, SigningKey signer, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into transparency_key (key_id, algorithm, public_key, first_used) "
                + "select ?, 'Ed25519', ?, ? where not exists (select 1 from transparency_key where key_id = ?)")) {
            ps.setString(1, signer.keyId());
            ps.setBytes(2, signer.publicKey());
            ps.setLong(3, now);
            ps.setString(4, signer.keyId());
            ps.executeUpdate();
        }
    }
}
