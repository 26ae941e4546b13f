package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.db.Jdbc;
import io.meridian.db.Pipeline;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.Holds;
import io.meridian.ledger.SiteConditions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The data centers' operational state in the database, seen alike by every replica: status and
 * newest load report (the catalogue's columns of {@code data_center_state}). Places held on them are
 * the ledger's; this store reads them only through {@link CapacityLedger}.
 */
@ApplicationScoped
public class CapacityStore implements SiteConditions {

    /** One data center's stored state. {@code reportedLoad} and {@code reportedAt} are null before a report. */
    public record Row(String dataCenterId, DataCenterStatus status, String statusReason, Instant statusChangedAt,
                      String statusChangedBy, Integer reportedLoad, Instant reportedAt) {
    }

    private final EntityManager em;
    private final DataSource dataSource;
    private final DataCenterModel model;
    private final CapacityConfig config;
    private final CapacityLedger ledger;
    /** Told of each status change in its transaction (live re-routing). */
    @Inject
    Instance<DataCenterStatusListener> statusListeners;

    @Inject
    public CapacityStore(EntityManager em, DataSource dataSource, DataCenterModel model, CapacityConfig config,
                         CapacityLedger ledger) {
        this.em = em;
        this.dataSource = dataSource;
        this.model = model;
        this.config = config;
        this.ledger = ledger;
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

    /** Stored rows and held places of some data centers, read together under their row locks. */
    public record Locked(Map<String, Row> rows, Map<String, Integer> reserved) {
    }

    /**
     * Locks the state rows of the given data centers through the ledger (in id order) for the rest of
     * the current transaction, then reads their state and the places reserved on them. Must run inside
     * a transaction.
     */
    public Locked lock(List<String> dataCenterIds, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Holds> held = ledger.lock(c, dataCenterIds, now);
            Map<String, Integer> reserved = new HashMap<>();
            held.forEach((id, h) -> reserved.put(id, h.reserved()));
            return new Locked(readRows(c, dataCenterIds), reserved);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /**
     * The ledger's view of sites it has locked: their stored status and newest report, made a
     * snapshot by the catalogue's one rule for that ({@link LiveCapacityView#build}), with its holds.
     */
    @Override
    public SiteConditions.Pending lockedSnapshot(Pipeline p, Collection<String> dataCenterIds, Instant now) {
        Map<String, Row> rows = new HashMap<>();
        readRows(p, dataCenterIds, rows);
        return held -> LiveCapacityView.build(model, config, now, rows, held).snapshot();
    }

    /** The stored rows of some data centers, on the given connection. */
    private static Map<String, Row> readRows(Connection c, Collection<String> dataCenterIds) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        Pipeline p = Pipeline.on(c);
        readRows(p, dataCenterIds, rows);
        p.run();
        return rows;
    }

    private static void readRows(Pipeline p, Collection<String> dataCenterIds, Map<String, Row> rows) {
        List<String> ids = new ArrayList<>(new TreeSet<>(dataCenterIds));
        if (ids.isEmpty()) {
            return;
        }
        p.query("select data_center_id, status, status_reason, status_changed_at, status_changed_by, reported_load, "
                + "reported_at from data_center_state where data_center_id = any(?)", b -> b.texts(ids), r -> {
                    while (r.next()) {
                        String id = r.getString(1);
                        int load = r.getInt(6);
                        Integer reportedLoad = r.wasNull() ? null : load;
                        rows.put(id, new Row(id, DataCenterStatus.valueOf(r.getString(2)), r.getString(3),
                                Jdbc.instant(r, 4), r.getString(5), reportedLoad, Jdbc.instant(r, 7)));
                    }
                });
    }

    @Transactional
    public void setStatus(String dataCenterId, DataCenterStatus status, String reason, Instant at, String by) {
        em.createNativeQuery("update data_center_state set status = ?1, status_reason = ?2, status_changed_at = ?3, "
                        + "status_changed_by = ?4 where data_center_id = ?5")
                .setParameter(1, status.name()).setParameter(2, reason).setParameter(3, at).setParameter(4, by)
                .setParameter(5, dataCenterId).executeUpdate();
        if (statusListeners != null) {
            statusListeners.forEach(l -> l.changed(dataCenterId, status, at));
        }
    }

    /**
     * Stores a load report unless a newer one is stored already.
     *
     * @return true when the report became the newest
     */
    @Transactional
    public boolean report(String dataCenterId, int activeParticipants, Instant reportedAt, Instant receivedAt) {
        // the update takes the row's lock; the ledger then counts, under it, the live participants
        // the report saw (so they are not counted twice)
        boolean newest = em.createNativeQuery("update data_center_state set reported_load = ?1, reported_at = ?2, "
                        + "received_at = ?3 where data_center_id = ?4 and (reported_at is null or reported_at < ?2)")
                .setParameter(1, activeParticipants).setParameter(2, reportedAt).setParameter(3, receivedAt)
                .setParameter(4, dataCenterId).executeUpdate() == 1;
        if (newest) {
            try (Connection c = dataSource.getConnection()) {
                ledger.loadReportStored(c, dataCenterId, reportedAt, receivedAt);
            } catch (SQLException e) {
                throw new PersistenceException(e);
            }
        }
        return newest;
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
