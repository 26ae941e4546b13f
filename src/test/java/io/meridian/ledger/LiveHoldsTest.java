package io.meridian.ledger;

import io.meridian.core.Admission;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.db.Pipeline;
import io.meridian.records.PlanIds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger's live places on the database: counters, expiry, floors and repair (on jp-osa, no other test's). */
@QuarkusTest
class LiveHoldsTest {

    private static final String OSA = "jp-osa";

    @Inject
    CapacityLedger ledger;

    @Inject
    DataSource dataSource;

    @Inject
    DataCenterModel model;

    private interface Work<T> {
        T in(Connection c, LiveTransaction live) throws Exception;
    }

    /** One transaction: a live transaction over {@code meetings}, with jp-osa locked. */
    private <T> T live(Set<String> meetings, Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                LiveTransaction live = ledger.live(c, Instant.now().truncatedTo(ChronoUnit.MICROS));
                live.read(meetings);
                live.lock(List.of(OSA));
                T result = work.in(c, live);
                Pipeline writes = Pipeline.on(c);
                live.write(writes, new Answers());
                writes.run();
                return result;
            }
        });
    }

    private String open(Instant expires) {
        String id = PlanIds.next(System.currentTimeMillis());
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                ledger.open(c, id, expires);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return id;
    }

    private int[] counters() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select reserved, live, (select coalesce(sum(places), 0) from live_hold "
                     + "where data_center_id = 'jp-osa') from data_center_state where data_center_id = 'jp-osa'")) {
            r.next();
            return new int[] {r.getInt(1), r.getInt(2), r.getInt(3)};
        }
    }

    @Test
    void takenPlacesShouldBeCountedExactlyAndGivenBackAtOnce() throws Exception {
        int before = counters()[1];
        String m = open(Instant.now().plusSeconds(60));
        boolean took = live(Set.of(m), (c, live) -> live.take(m, OSA, false) && live.take(m, OSA, false));
        assertThat(took).isTrue();
        int[] after = counters();
        assertThat(after[1]).isEqualTo(before + 2).isEqualTo(after[2]);
        assertThat(ledger.held(Instant.now()).get(OSA).live()).isEqualTo(before + 2);
        live(Set.of(m), (c, live) -> live.giveBack(m, OSA));
        assertThat(counters()[1]).isEqualTo(before + 1);
        Map<String, Integer> freed = live(Set.of(m), (c, live) -> live.end(m));
        assertThat(freed).isEqualTo(Map.of(OSA, 1));
        assertThat(counters()[1]).isEqualTo(before).isEqualTo(counters()[2]);
    }

    @Test
    void aTakeShouldBeAdmittedOnlyWithRoom() {
        String m = open(Instant.now().plusSeconds(60));
        try {
            boolean taken = live(Set.of(m), (c, live) -> {
                int room = Admission.room(live.snapshot(), model.indexOf(OSA));
                // fill the room in memory with one take per place, then one more
                for (int i = 0; i < Math.min(room, 3); i++) {
                    assertThat(live.take(m, OSA, false)).isTrue();
                }
                assertThat(Admission.room(live.snapshot(), model.indexOf(OSA))).isEqualTo(room - Math.min(room, 3));
                // a data center this transaction did not lock takes nobody, and cannot be taken
                assertThat(live.snapshot().state(model.indexOf("jp-tyo")).status()).isEqualTo(DataCenterStatus.DOWN);
                assertThatThrownBy(() -> live.take(m, "jp-tyo", false)).isInstanceOf(IllegalStateException.class);
                return true;
            });
            assertThat(taken).isTrue();
        } finally {
            live(Set.of(m), (c, live) -> live.end(m));
        }
    }

    @Test
    void placesOfALeaseThatRanOutShouldStopCountingBeforeTheyAreFreed() throws Exception {
        String m = open(Instant.now().plusMillis(300));
        int before = ledger.held(Instant.now()).get(OSA).live();
        live(Set.of(m), (c, live) -> live.take(m, OSA, false));
        assertThat(ledger.held(Instant.now()).get(OSA).live()).isEqualTo(before + 1);
        Thread.sleep(400);
        // the counter still has it; readers do not
        assertThat(ledger.held(Instant.now()).get(OSA).live()).isEqualTo(before);
        assertThat(ledger.expiredMeetings(Instant.now(), 10_000)).contains(m);
        Answers answers = new Answers();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                LiveTransaction live = ledger.live(c, Instant.now());
                live.read(Set.of(m));
                assertThat(live.expired(m)).isTrue();
                live.lock(live.heldOn(m));
                live.end(m);
                Pipeline writes = Pipeline.on(c);
                live.write(writes, answers);
                writes.run();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        // ending it changes the counters, not what anyone sees: it counted no more
        assertThat(answers.delta()).isEmpty();
        assertThat(counters()[1]).isEqualTo(counters()[2]);
        assertThat(ledger.held(Instant.now()).get(OSA).live()).isEqualTo(before);
    }

    @Test
    void theRepairShouldSetADriftedLiveCounterBackToTheSumOfPlaces() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update data_center_state set live = live + 5 where data_center_id = 'jp-osa'");
        }
        ledger.removeExpiredReservations();
        int[] after = counters();
        assertThat(after[1]).isEqualTo(after[2]);
    }

    @Test
    void theAdmissionRoomShouldSeeLiveParticipants() {
        Map<String, Integer> rooms = new HashMap<>();
        String m = open(Instant.now().plusSeconds(60));
        try {
            live(Set.of(m), (c, live) -> {
                rooms.put("before", Admission.room(live.snapshot(), model.indexOf(OSA)));
                return live.take(m, OSA, false);
            });
            live(Set.of(m), (c, live) -> rooms.put("after", Admission.room(live.snapshot(), model.indexOf(OSA))));
            assertThat(rooms.get("after")).isEqualTo(rooms.get("before") - 1);
        } finally {
            live(Set.of(m), (c, live) -> live.end(m));
        }
    }
}
