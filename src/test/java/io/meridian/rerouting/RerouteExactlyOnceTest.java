package io.meridian.rerouting;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change is acted on once: two workers racing for its job, or a worker that dies half-way and
 * another that resumes after its lease, move each participant exactly once.
 */
@QuarkusTest
class RerouteExactlyOnceTest {

    @Inject
    RerouteWorker worker;

    @Inject
    RerouteJobs jobs;

    @Inject
    LiveMeetings meetings;

    @Inject
    DataSource dataSource;

    private final List<String> opened = new ArrayList<>();

    @BeforeEach
    void pauseTheBackgroundWorker() {
        Live.await("no job pending", () -> jobs.backlog().pending() == 0);
        worker.pause(true);
    }

    @AfterEach
    void resume() {
        worker.pause(false);
        opened.forEach(Live::end);
    }

    /** Meetings of the account with two participants in Mumbai each; answers their ids. */
    private List<String> meetingsInIndia(String account, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = Live.create("{\"meetingId\": \"" + account + "-" + i + "\", \"accountId\": \"" + account + "\"}");
            opened.add(id);
            Live.join(id, "a", Live.MUMBAI);
            Live.join(id, "b", Live.MUMBAI);
            ids.add(id);
        }
        return ids;
    }

    private void assertEachMovedOnce(List<String> ids) {
        for (String id : ids) {
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).as("moves in " + id)
                    .extracting(e -> e.body().getString("participantId")).containsExactlyInAnyOrder("a", "b");
            assertThat(Live.meeting(id).getList("participants.region")).containsOnly("SG");
        }
    }

    private Map<String, Object> job(String account) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select state, claimed_by, attempts, moved, meetings_done "
                     + "from reroute_job where account_id = ? order by id desc limit 1")) {
            ps.setString(1, account);
            try (ResultSet r = ps.executeQuery()) {
                assertThat(r.next()).isTrue();
                return Map.of("state", r.getString(1), "claimedBy", r.getString(2), "attempts", r.getInt(3),
                        "moved", r.getInt(4), "meetings", r.getInt(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoWorkersRacingForOneJobShouldMoveEachParticipantOnce() throws Exception {
        String account = "rr-race";
        List<String> ids = meetingsInIndia(account, 6);
        Live.putPolicy(account, "{\"blockedRegions\": [], \"allowedRegions\": [\"SG\"]}")
                .then().statusCode(200);
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<Integer>> racers = new ArrayList<>();
        for (String name : List.of("racer-a", "racer-b")) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return worker.drainAs(name);
            }));
        }
        int finished = racers.get(0).get() + racers.get(1).get();
        assertThat(finished).isEqualTo(1);
        assertEachMovedOnce(ids);
        Map<String, Object> job = job(account);
        assertThat(job).containsEntry("state", "DONE").containsEntry("attempts", 1).containsEntry("moved", 12);
        assertThat((String) job.get("claimedBy")).startsWith("racer-");
        Live.deletePolicy(account);
    }

    @Test
    void aJobWhoseWorkerDiedHalfWayShouldBeFinishedByAnotherMovingNobodyTwice() {
        String account = "rr-crash";
        List<String> ids = meetingsInIndia(account, 6);
        Live.putPolicy(account, "{\"blockedRegions\": [], \"allowedRegions\": [\"SG\"]}")
                .then().statusCode(200);
        // a replica claims the job, fixes half of its meetings, and dies without a word
        Optional<RerouteJobs.Claimed> claimed = jobs.claim("doomed", Duration.ofMillis(500));
        assertThat(claimed).isPresent();
        assertThat(jobs.claim("other", Duration.ofSeconds(10))).as("a claimed job is nobody else's").isEmpty();
        LiveMeetings.MoveOrder order = worker.order(claimed.get().cause());
        assertThat(meetings.fix(ids.subList(0, 3), order)).allSatisfy(f -> assertThat(f.moved()).isEqualTo(2));
        // the lease runs out; this replica's worker takes the job over and finishes it
        worker.pause(false);
        Live.await("the job is done", () -> "DONE".equals(job(account).get("state")));
        assertEachMovedOnce(ids);
        assertThat(job(account)).containsEntry("attempts", 2).containsEntry("moved", 6);
        // the dead replica's late word changes nothing
        assertThat(jobs.progress(claimed.get().id(), "doomed", 3, 6, 0, Duration.ofSeconds(10))).isFalse();
        assertThat(jobs.done(claimed.get().id(), "doomed")).isFalse();
        Live.deletePolicy(account);
    }
}
