package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shared live state of the data centers in the database, seen alike by every replica: status,
 * newest load report, and the participants held by live (unexpired) reservations.
 */
@ApplicationScoped
public class CapacityStore {

    /** One data center's stored state. {@code reportedLoad} and {@code reportedAt} are null before a report. */
    public record Row(String dataCenterId, DataCenterStatus status, String statusReason, Instant statusChangedAt,
                      String statusChangedBy, Integer reportedLoad, Instant reportedAt) {
    }

    private final EntityManager em;
    private final DataSource dataSource;
    private final DataCenterModel model;

    @Inject
    public CapacityStore(EntityManager em, DataSource dataSource, DataCenterModel model) {
        this.em = em;
        this.dataSource = dataSource;
        this.model = model;
    }

    /** Makes sure every data center of the model has a state row (ACTIVE, no report). Safe to race. */
    @Transactional
    public void seed() {
        List<?> existing = em.createNativeQuery("select data_center_id from data_center_state").getResultList();
        for (var dc : model.dataCenters()) {
            if (!existing.contains(dc.id())) {
                em.createNativeQuery("insert into data_center_state (data_center_id, status) "
                                + "select ?1, 'ACTIVE' where not exists "
                                + "(select 1 from data_center_state where data_center_id = ?1)")
                        .setParameter(1, dc.id()).executeUpdate();
            }
        }
    }

    @Transactional
    public Map<String, Row> rows() {
        Map<String, Row> rows = new HashMap<>();
        for (Object o : em.createNativeQuery("select data_center_id, status, status_reason, status_changed_at, "
                + "status_changed_by, reported_load, reported_at from data_center_state").getResultList()) {
            Object[] r = (Object[]) o;
            rows.put((String) r[0], new Row((String) r[0], DataCenterStatus.valueOf((String) r[1]), (String) r[2],
                    instant(r[3]), (String) r[4], r[5] == null ? null : ((Number) r[5]).intValue(), instant(r[6])));
        }
        return rows;
    }

    /**
     * Runs {@code work} in one transaction whose pooled connection is taken first, so that what
     * {@code work} reads through this store needs no further connection. The capacity refresh takes its
     * lock inside: it must never hold that lock while waiting for a connection, since threads holding
     * connections (a reservation about to commit) may be waiting for the lock.
     */
    @Transactional
    public void withConnection(Runnable work) {
        try (Connection c = dataSource.getConnection()) {
            // taking it binds the connection to this transaction; closing the handle keeps it bound
            c.getAutoCommit();
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
        work.run();
    }

    /** Participants held by reservations that have not expired at {@code now}, by data center. */
    @Transactional
    public Map<String, Integer> liveReserved(Instant now) {
        return reservedSums(now, null);
    }

    /** Stored rows and live holds of some data centers, read together under their row locks. */
    public record Locked(Map<String, Row> rows, Map<String, Integer> reserved) {
    }

    /**
     * Locks the state rows of the given data centers (in id order, so concurrent reservations never
     * deadlock) for the rest of the current transaction, then reads their state and live holds (see
     * {@link #readLocked}). Must run inside a transaction.
     */
    public Locked lock(List<String> dataCenterIds, Instant now) {
        requireTransaction();
        try (Connection c = dataSource.getConnection()) {
            lockRows(c, dataCenterIds);
            return readLocked(c, dataCenterIds, now);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /**
     * Reads the state and live holds of data centers whose rows this transaction has locked: the
     * row's {@code reserved} counter minus the holds of reservations that expired but are not yet
     * deleted.
     *
     * <p>This is a statement of its own, after the lock, on purpose: under READ COMMITTED a statement
     * that waited for a row lock still evaluates its subqueries on the snapshot taken before the wait,
     * so a sum of holds read in the locking statement itself can miss the holds of the transaction it
     * waited for (the multi-replica test over-booked that way). The statement after the lock sees them.
     */
    public Locked readLocked(Connection c, java.util.Collection<String> dataCenterIds, Instant now) throws SQLException {
        List<String> ids = new ArrayList<>(new TreeSet<>(dataCenterIds));
        Map<String, Row> rows = new HashMap<>();
        Map<String, Integer> reserved = new HashMap<>();
        if (ids.isEmpty()) {
            return new Locked(rows, reserved);
        }
        try (PreparedStatement ps = c.prepareStatement("select data_center_id, status, status_reason, "
                + "status_changed_at, status_changed_by, reported_load, reported_at, reserved from data_center_state "
                + "where data_center_id in (" + Jdbc.marks(ids.size()) + ")")) {
            Jdbc.bind(ps, 1, ids);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    int load = r.getInt(6);
                    Integer reportedLoad = r.wasNull() ? null : load;
                    rows.put(id, new Row(id, DataCenterStatus.valueOf(r.getString(2)), r.getString(3),
                            Jdbc.instant(r, 4), r.getString(5), reportedLoad, Jdbc.instant(r, 7)));
                    reserved.put(id, r.getInt(8));
                }
            }
        }
        // the counter still includes holds that expired and await the cleanup job: they no longer count
        try (PreparedStatement ps = c.prepareStatement("select h.data_center_id, sum(h.participants) from "
                + "reservation r join reservation_hold h on h.reservation_id = r.id where r.expires_at <= ? "
                + "and h.data_center_id in (" + Jdbc.marks(ids.size()) + ") group by h.data_center_id")) {
            ps.setObject(1, Jdbc.time(now));
            Jdbc.bind(ps, 2, ids);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    reserved.merge(r.getString(1), -r.getInt(2), Integer::sum);
                }
            }
        }
        // a counter below its expired holds means it drifted (see ReservationService#reconcileCounters)
        reserved.replaceAll((id, n) -> Math.max(0, n));
        return new Locked(rows, reserved);
    }

    /**
     * Adds (or, negative, removes) held participants to the data centers' counters. Must run in the
     * transaction that inserts or deletes the holds, after {@link #lock} or {@link #lockRows} of the
     * same data centers.
     */
    public void addReserved(Map<String, Integer> delta) {
        requireTransaction();
        try (Connection c = dataSource.getConnection()) {
            addReserved(c, delta);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** {@link #addReserved(Map)} on the transaction's connection: one batch, in id order. */
    public void addReserved(Connection c, Map<String, Integer> delta) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(
                "update data_center_state set reserved = reserved + ? where data_center_id = ?")) {
            for (Map.Entry<String, Integer> e : new TreeMap<>(delta).entrySet()) {
                if (e.getValue() != 0) {
                    ps.setInt(1, e.getValue());
                    ps.setString(2, e.getKey());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Bounds how long the rest of this transaction waits for any one lock. PostgreSQL waits without
     * end by default; this sets its {@code lock_timeout} for this transaction only. H2 has no
     * per-transaction setting: its session {@code LOCK_TIMEOUT} is set instead (the embedded default's
     * URL sets the same 10 s on every connection).
     */
    public static void limitLockWait(Connection c, java.time.Duration limit) throws SQLException {
        long millis = Math.max(1, limit.toMillis());
        if (c.isWrapperFor(org.postgresql.PGConnection.class)) {
            try (PreparedStatement ps = c.prepareStatement("select set_config('lock_timeout', ?, true)")) {
                ps.setString(1, millis + "ms");
                ps.executeQuery().close();
            }
        } else {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("set lock_timeout " + millis);
            }
        }
    }

    /** {@link #limitLockWait(Connection, java.time.Duration)} on the current transaction's connection. */
    public void limitLockWait(java.time.Duration limit) {
        requireTransaction();
        try (Connection c = dataSource.getConnection()) {
            limitLockWait(c, limit);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Locks the state rows of the given data centers (in id order) for the rest of the transaction. */
    public void lockRows(java.util.Collection<String> dataCenterIds) {
        requireTransaction();
        try (Connection c = dataSource.getConnection()) {
            lockRows(c, dataCenterIds);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** {@link #lockRows(java.util.Collection)} on the transaction's connection. */
    public void lockRows(Connection c, java.util.Collection<String> dataCenterIds) throws SQLException {
        if (dataCenterIds.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(new TreeSet<>(dataCenterIds));
        try (PreparedStatement ps = c.prepareStatement("select data_center_id from data_center_state where "
                + "data_center_id in (" + Jdbc.marks(ids.size()) + ") order by data_center_id for update")) {
            Jdbc.bind(ps, 1, ids);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    // reading every row makes sure each lock is taken
                }
            }
        }
    }

    private Map<String, Integer> reservedSums(Instant now, List<String> only) {
        String sql = "select h.data_center_id, sum(h.participants) from reservation_hold h "
                + "join reservation r on r.id = h.reservation_id where r.expires_at > ?1"
                + (only == null ? "" : " and h.data_center_id in (?2)") + " group by h.data_center_id";
        var query = em.createNativeQuery(sql).setParameter(1, now);
        if (only != null) {
            query.setParameter(2, only);
        }
        Map<String, Integer> sums = new HashMap<>();
        for (Object o : query.getResultList()) {
            Object[] r = (Object[]) o;
            sums.put((String) r[0], ((Number) r[1]).intValue());
        }
        return sums;
    }

    @Transactional
    public void setStatus(String dataCenterId, DataCenterStatus status, String reason, Instant at, String by) {
        em.createNativeQuery("update data_center_state set status = ?1, status_reason = ?2, status_changed_at = ?3, "
                        + "status_changed_by = ?4 where data_center_id = ?5")
                .setParameter(1, status.name()).setParameter(2, reason).setParameter(3, at).setParameter(4, by)
                .setParameter(5, dataCenterId).executeUpdate();
    }

    /**
     * Stores a load report unless a newer one is stored already.
     *
     * @return true when the report became the newest
     */
    @Transactional
    public boolean report(String dataCenterId, int activeParticipants, Instant reportedAt, Instant receivedAt) {
        return em.createNativeQuery("update data_center_state set reported_load = ?1, reported_at = ?2, received_at = ?3 "
                        + "where data_center_id = ?4 and (reported_at is null or reported_at < ?2)")
                .setParameter(1, activeParticipants).setParameter(2, reportedAt).setParameter(3, receivedAt)
                .setParameter(4, dataCenterId).executeUpdate() == 1;
    }

    /**
     * Row locks and counter changes only mean something inside the caller's transaction: outside one
     * the connection would commit each statement and drop the lock at once, silently.
     */
    private static void requireTransaction() {
        if (!io.quarkus.narayana.jta.QuarkusTransaction.isActive()) {
            throw new IllegalStateException("data-center rows can only be locked or counted inside a transaction");
        }
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
