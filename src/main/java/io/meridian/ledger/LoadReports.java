package io.meridian.ledger;

import io.meridian.db.Jdbc;
import io.meridian.web.DatabaseJobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The live participants a load report saw: those holding a place on the data center at its
 * {@code reportedAt} (joined before it, not left before it, lease not run out by it), counted when
 * the report is stored, under the data center's row lock, as
 * {@code live now - live changes after reportedAt - places of leases run out by reportedAt}. The
 * journal of live changes is kept for {@code meridian.ledger.report-window}; a report older than
 * that is taken to have seen none of them, which counts them twice rather than not at all.
 */
@ApplicationScoped
class LoadReports {

    private final DataSource dataSource;
    private final LedgerConfig config;
    private final DatabaseJobs jobs;

    @Inject
    LoadReports(DataSource dataSource, LedgerConfig config, DatabaseJobs jobs) {
        this.dataSource = dataSource;
        this.config = config;
        this.jobs = jobs;
    }

    /** Sets the data center's {@code live_at_report}; its row must be locked by this transaction. */
    void stored(Connection c, String dataCenter, Instant reportedAt, Instant now) throws SQLException {
        int present = 0;
        if (!reportedAt.isBefore(now.minus(config.reportWindow()))) {
            long live = single(c, "select live from data_center_state where data_center_id = ?", dataCenter, null);
            long after = single(c, "select coalesce(sum(places), 0) from live_journal where data_center_id = ? "
                    + "and changed_at > ?", dataCenter, reportedAt);
            long gone = single(c, "select coalesce(sum(h.places), 0) from live_holder m join live_hold h "
                    + "on h.meeting_id = m.meeting_id where h.data_center_id = ? and m.expires_at <= ?", dataCenter,
                    reportedAt);
            present = (int) Math.max(0, live - after - gone);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update data_center_state set live_at_report = ? where data_center_id = ?")) {
            ps.setInt(1, present);
            ps.setString(2, dataCenter);
            ps.executeUpdate();
        }
    }

    private static long single(Connection c, String sql, String dataCenter, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, dataCenter);
            if (at != null) {
                ps.setObject(2, Jdbc.time(at));
            }
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** Deletes journal rows older than the report window; any replica, any time. */
    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        jobs.run("Live journal purge", "Nothing depends on it: old journal rows are deleted once the database is "
                + "back.", () -> {
                    Instant cutoff = Instant.now().minus(config.reportWindow());
                    QuarkusTransaction.requiringNew().call(() -> {
                        try (Connection c = dataSource.getConnection();
                             PreparedStatement ps = c.prepareStatement("delete from live_journal where changed_at < ?")) {
                            ps.setObject(1, Jdbc.time(cutoff));
                            return ps.executeUpdate();
                        }
                    });
                });
    }
}
