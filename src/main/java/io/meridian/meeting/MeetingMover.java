package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.MoveReplacement;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingOptions;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.GroupCommit;
import io.meridian.rerouting.LiveMeetings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Live meetings as re-routing sees them: which meetings a change concerns, and their moves through
 * a group commit of their own ({@link MoveBatch}, many meetings per transaction). Moves and joins
 * lock meetings and data centers in the same order (meetings by id, then data centers by id), so
 * their transactions never deadlock, on one replica or across several.
 */
@ApplicationScoped
public class MeetingMover implements LiveMeetings {

    private final DataSource dataSource;
    private final DataCenterModel model;
    private final GroupCommit<MoveJob> committer;

    @Inject
    public MeetingMover(DataSource dataSource, CapacityLedger ledger, MoveReplacement replacement,
                        RoutingOptions options, DataCenterModel model, MeetingConfig config, MeetingRecorder recorder) {
        this.dataSource = dataSource;
        this.model = model;
        this.committer = ledger.committer("meeting-mover", MoveJob.class,
                new MoveBatch(ledger, replacement, options, model, recorder), config.batchSize());
    }

    @PreDestroy
    void stop() {
        committer.stop();
    }

    @Override
    public List<String> ofAccountBefore(String accountId, long version, String afterId, int limit) {
        try (Connection c = dataSource.getConnection()) {
            return MeetingSql.ofAccountBefore(c, accountId, version, afterId, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("live meetings of an account cannot be listed", e);
        }
    }

    @Override
    public List<String> on(String dataCenter, String afterId, int limit) {
        try (Connection c = dataSource.getConnection()) {
            return MeetingSql.on(c, dataCenter, afterId, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("live meetings on a data center cannot be listed", e);
        }
    }

    @Override
    public int usingForbidden(Connection c, String accountId, Optional<RegionPolicy.Restriction> account)
            throws SQLException {
        Map<String, Boolean> affected = new HashMap<>();
        for (MeetingSql.Use use : MeetingSql.uses(c, accountId)) {
            List<RegionPolicy.Restriction> restrictions = new ArrayList<>(2);
            restrictions.add(use.request());
            account.ifPresent(restrictions::add);
            RegionPolicy policy = RegionPolicy.merge(restrictions);
            int i = model.indexOf(use.dataCenter());
            boolean forbidden = i >= 0 && !policy.permits(model.dataCenter(i).region());
            affected.merge(use.meeting(), forbidden, Boolean::logicalOr);
        }
        return (int) affected.values().stream().filter(Boolean::booleanValue).count();
    }

    @Override
    public List<Fixed> fix(List<String> meetings, MoveOrder order) {
        List<MoveJob> jobs = new ArrayList<>(meetings.size());
        meetings.forEach(id -> jobs.add(new MoveJob(id, order, new CompletableFuture<>())));
        committer.submitAll(jobs);
        List<Fixed> fixed = new ArrayList<>(jobs.size());
        for (MoveJob job : jobs) {
            try {
                fixed.add(job.result().get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while moving participants", e);
            } catch (ExecutionException e) {
                // the transaction failed (the database away, a lock waited out): the job is resumed later
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return fixed;
    }
}
