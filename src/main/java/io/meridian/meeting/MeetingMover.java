package io.meridian.meeting;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.MoveReplacement;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingOptions;
import io.meridian.events.EventFeedService;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
    private final MoveReplacement replacement;
    private final RoutingOptions options;
    private final GroupCommit<MoveJob> committer;

    @Inject
    public MeetingMover(DataSource dataSource, CapacityLedger ledger, MoveReplacement replacement,
                        RoutingOptions options, DataCenterModel model, MeetingConfig config, MeetingRecorder recorder,
                        EventFeedService feed) {
        this.dataSource = dataSource;
        this.model = model;
        this.replacement = replacement;
        this.options = options;
        this.committer = ledger.committer("meeting-mover", MoveJob.class,
                new MoveBatch(ledger, replacement, options, model, recorder, feed.feed()::nudge), config.batchSize());
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
    public Set<String> dataCentersInUse() {
        try (Connection c = dataSource.getConnection()) {
            return MeetingSql.dataCentersInUse(c);
        } catch (SQLException e) {
            throw new IllegalStateException("the data centers in use cannot be listed", e);
        }
    }

    @Override
    public int usingForbidden(Connection c, String accountId, Optional<RegionPolicy.Restriction> account)
            throws SQLException {
        return affected(c, accountId, account).size();
    }

    /** Meetings of the account that use a region the account's restriction would forbid, in id order. */
    private Set<String> affected(Connection c, String accountId, Optional<RegionPolicy.Restriction> account)
            throws SQLException {
        Set<String> affected = new TreeSet<>();
        for (MeetingSql.Use use : MeetingSql.uses(c, accountId)) {
            int i = model.indexOf(use.dataCenter());
            if (i >= 0 && !remade(use.request(), account).permits(model.dataCenter(i).region())) {
                affected.add(use.meeting());
            }
        }
        return affected;
    }

    private static RegionPolicy remade(RegionPolicy.Restriction request, Optional<RegionPolicy.Restriction> account) {
        List<RegionPolicy.Restriction> restrictions = new ArrayList<>(2);
        restrictions.add(request);
        account.ifPresent(restrictions::add);
        return RegionPolicy.merge(restrictions);
    }

    @Override
    public List<Preview> preview(String accountId, RegionPolicy.Restriction account, CapacitySnapshot snapshot,
                                 int limit) {
        List<Preview> previews = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> ids = affected(c, accountId, Optional.of(account)).stream().limit(limit).toList();
            Map<String, MeetingRows.Meeting> rows = MeetingSql.find(c, ids);
            Map<String, Map<String, MeetingRows.Site>> sites = MeetingSql.sites(c, ids);
            for (String id : ids) {
                MeetingRows.Meeting row = rows.get(id);
                if (row != null) {
                    previews.addAll(preview(c, row, remade(row.request(), Optional.of(account)),
                            sites.getOrDefault(id, Map.of()), snapshot));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the moves of a policy change cannot be previewed", e);
        }
        return previews;
    }

    private List<Preview> preview(Connection c, MeetingRows.Meeting row, RegionPolicy policy,
                                  Map<String, MeetingRows.Site> sites, CapacitySnapshot snapshot) throws SQLException {
        Evacuation.Plan plan = Evacuation.plan(c, row, row.withPolicy(policy, row.policyVersion()), sites, Map.of(),
                snapshot, replacement, options, model);
        List<Preview> previews = new ArrayList<>();
        if (plan.outcome() == null) {
            return previews;
        }
        for (MoveReplacement.Move move : plan.outcome().moves()) {
            String from = move.from();
            int i = model.indexOf(from);
            String fromRegion = i < 0 ? "?" : model.dataCenter(i).region();
            if (move instanceof MoveReplacement.Moved to) {
                previews.add(new Preview(row.id(), row.label(), move.participantId(), from, fromRegion,
                        Optional.of(to.to()), Optional.of(to.region()), plan.leaving().get(from).name()));
            } else {
                previews.add(new Preview(row.id(), row.label(), move.participantId(), from, fromRegion,
                        Optional.empty(), Optional.empty(), ((MoveReplacement.Disconnected) move).reason().name()));
            }
        }
        return previews;
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
