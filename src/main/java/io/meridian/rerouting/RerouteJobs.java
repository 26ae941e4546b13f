package io.meridian.rerouting;

import io.meridian.core.DataCenterStatus;
import io.meridian.db.Jdbc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable re-routing jobs ({@code reroute_job}): written in the transaction of the change that
 * causes them, claimed by one replica at a time under a lease, done once every meeting they concern
 * was looked at. A claim is a conditional update on a row locked with {@code FOR UPDATE SKIP LOCKED}:
 * of two replicas polling at once, one takes the row, the other skips it; and even without the skip
 * (a database that ignored it) the update matches for one of them only.
 */
@ApplicationScoped
public class RerouteJobs {

    static final String PENDING = "PENDING";
    static final String DONE = "DONE";

    private final DataSource dataSource;

    @Inject
    public RerouteJobs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A job claimed by this replica. */
    public record Claimed(long id, RerouteCause cause, Instant createdAt, int attempts) {
    }

    /** Inserts a pending job on {@code c}, in the transaction of the change that causes it. */
    static long insert(Connection c, RerouteCause cause, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into reroute_job (cause_type, account_id, version, "
                + "data_center, status, created_at, state) values (?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, cause.type());
            if (cause instanceof RerouteCause.PolicyChange p) {
                ps.setString(2, p.accountId());
                ps.setLong(3, p.version());
                ps.setNull(4, Types.VARCHAR);
                ps.setNull(5, Types.VARCHAR);
            } else {
                RerouteCause.DataCenterStatusChange d = (RerouteCause.DataCenterStatusChange) cause;
                ps.setNull(2, Types.VARCHAR);
                ps.setNull(3, Types.BIGINT);
                ps.setString(4, d.dataCenter());
                ps.setString(5, d.status().name());
            }
            ps.setObject(6, Jdbc.time(now));
            ps.setString(7, PENDING);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Inserts a pending job for a data center that left the model, unless one for it is pending
     * already (each replica starting with the new model checks); answers whether it inserted one.
     */
    public boolean insertForRemoved(String dataCenter) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("select count(*) from reroute_job where state = ? "
                         + "and cause_type = 'DC_STATUS' and data_center = ?")) {
                ps.setString(1, PENDING);
                ps.setString(2, dataCenter);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return false;
                    }
                }
                insert(c, new RerouteCause.DataCenterStatusChange(dataCenter, DataCenterStatus.DOWN), Instant.now());
                return true;
            }
        });
    }

    /**
     * Claims the oldest pending job that nobody holds (never claimed, or its lease ran out), for
     * {@code lease}; empty when there is none.
     */
    public Optional<Claimed> claim(String replica, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Instant now = Instant.now();
                Optional<Claimed> due = due(c, now);
                if (due.isEmpty()) {
                    return Optional.<Claimed>empty();
                }
                try (PreparedStatement ps = c.prepareStatement("update reroute_job set claimed_by = ?, "
                        + "claimed_until = ?, attempts = attempts + 1 where id = ? and state = ? "
                        + "and (claimed_until is null or claimed_until < ?)")) {
                    ps.setString(1, replica);
                    ps.setObject(2, Jdbc.time(now.plus(lease)));
                    ps.setLong(3, due.get().id());
                    ps.setString(4, PENDING);
                    ps.setObject(5, Jdbc.time(now));
                    if (ps.executeUpdate() != 1) {
                        return Optional.<Claimed>empty();
                    }
                }
                return due;
            }
        });
    }

    private static Optional<Claimed> due(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, cause_type, account_id, version, data_center, status, "
                + "created_at, attempts from reroute_job where state = ? and (claimed_until is null or claimed_until < ?) "
                + "order by id limit 1 for update skip locked")) {
            ps.setString(1, PENDING);
            ps.setObject(2, Jdbc.time(now));
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                RerouteCause cause = "POLICY_CHANGE".equals(r.getString(2))
                        ? new RerouteCause.PolicyChange(r.getString(3), r.getLong(4))
                        : new RerouteCause.DataCenterStatusChange(r.getString(5), DataCenterStatus.valueOf(r.getString(6)));
                return Optional.of(new Claimed(r.getLong(1), cause, Jdbc.instant(r, 7), r.getInt(8) + 1));
            }
        }
    }

    /**
     * Adds progress and renews the lease; false when the job is no longer this replica's (its lease
     * ran out and another claimed it): the caller stops.
     */
    public boolean progress(long id, String replica, int meetings, int moved, int disconnected, Duration lease) {
        return update("update reroute_job set meetings_done = meetings_done + ?, moved = moved + ?, "
                + "disconnected = disconnected + ?, claimed_until = ? where id = ? and claimed_by = ? and state = ?",
                ps -> {
                    ps.setInt(1, meetings);
                    ps.setInt(2, moved);
                    ps.setInt(3, disconnected);
                    ps.setObject(4, Jdbc.time(Instant.now().plus(lease)));
                    ps.setLong(5, id);
                    ps.setString(6, replica);
                    ps.setString(7, PENDING);
                });
    }

    /** Marks the job done; false when it is no longer this replica's. */
    public boolean done(long id, String replica) {
        return update("update reroute_job set state = ?, done_at = ?, claimed_until = null where id = ? "
                + "and claimed_by = ? and state = ?", ps -> {
                    ps.setString(1, DONE);
                    ps.setObject(2, Jdbc.time(Instant.now()));
                    ps.setLong(3, id);
                    ps.setString(4, replica);
                    ps.setString(5, PENDING);
                });
    }

    /** Pending jobs and when the oldest of them was created. */
    public record Backlog(long pending, Optional<Instant> oldest) {
    }

    public Backlog backlog() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*), min(created_at) from reroute_job where state = ?")) {
            ps.setString(1, PENDING);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return new Backlog(r.getLong(1), Optional.ofNullable(Jdbc.instant(r, 2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-routing jobs cannot be counted", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("a re-routing job cannot be updated", e);
        }
    }
}
