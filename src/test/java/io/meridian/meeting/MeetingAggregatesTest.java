package io.meridian.meeting;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A meeting's per-data-center aggregates (count, RTT sum, the two largest RTTs) stay what its
 * participants make them, through concurrent joins and leaves that land in shared batches, where
 * many RTTs tie (people in the same few places) and leaves often take one of the two largest:
 * the case where a leave needs the next largest, read with the meeting's row on PostgreSQL, or by a
 * read of its own.
 */
@QuarkusTest
class MeetingAggregatesTest {

    private static final String[] PLACES = {
        "{\"latitude\": 50.11, \"longitude\": 8.68}",
        "{\"latitude\": 48.86, \"longitude\": 2.35}",
        "{\"latitude\": 51.51, \"longitude\": -0.13}",
        "{\"latitude\": 52.52, \"longitude\": 13.40}",
    };

    @Inject
    DataSource dataSource;

    @Test
    void aggregatesShouldEqualTheParticipantsAfterEveryRoundOfConcurrentJoinsAndLeaves() throws Exception {
        String id = Meetings.create("{\"meetingId\": \"aggregates-1\", \"allowedRegions\": [\"EU\"]}");
        Random random = new Random(7);
        List<String> in = new ArrayList<>();
        int next = 0;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            for (int round = 0; round < 8; round++) {
                List<Future<Integer>> answers = new ArrayList<>();
                // leave up to half of those in (most of the largest RTTs among them), join a dozen more
                List<String> leaving = new ArrayList<>();
                for (int i = 0; i < in.size() / 2; i++) {
                    leaving.add(in.remove(random.nextInt(in.size())));
                }
                for (String p : leaving) {
                    answers.add(pool.submit(() -> Meetings.leave(id, p).statusCode()));
                }
                for (int i = 0; i < 12; i++) {
                    String p = "p" + next++;
                    String place = PLACES[random.nextInt(round % 2 == 0 ? 2 : PLACES.length)];
                    in.add(p);
                    answers.add(pool.submit(() -> Meetings.join(id, p, place).statusCode()));
                }
                for (Future<Integer> a : answers) {
                    assertThat(a.get(60, TimeUnit.SECONDS)).isIn(201, 204);
                }
                assertThat(stored(id)).as("aggregates after round " + round).isEqualTo(recomputed(id));
            }
            assertThat(recomputed(id).values().stream().mapToLong(s -> s.get(0).longValue()).sum()).isEqualTo(in.size());
        } finally {
            pool.shutdownNow();
            Meetings.end(id);
        }
    }

    /** Data center → [participants, RTT sum in µs, largest RTT, second largest (or null)], as stored. */
    private Map<String, List<Number>> stored(String meeting) throws Exception {
        Map<String, List<Number>> sites = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select data_center_id, "
                + "participants, rtt_sum_us, top1_rtt_ms, top2_rtt_ms from meeting_site where meeting_id = ? "
                + "and participants > 0")) {
            ps.setString(1, meeting);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    double top2 = r.getDouble(5);
                    sites.put(r.getString(1), List.of((long) r.getInt(2), r.getLong(3), r.getDouble(4),
                            r.wasNull() ? Double.NEGATIVE_INFINITY : top2));
                }
            }
        }
        return sites;
    }

    /** The same, computed from the participants' rows. */
    private Map<String, List<Number>> recomputed(String meeting) throws Exception {
        Map<String, List<Double>> rtts = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select data_center_id, "
                + "rtt_ms from meeting_participant where meeting_id = ?")) {
            ps.setString(1, meeting);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    rtts.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getDouble(2));
                }
            }
        }
        Map<String, List<Number>> sites = new TreeMap<>();
        rtts.forEach((dc, list) -> {
            list.sort(Comparator.reverseOrder());
            long sum = list.stream().mapToLong(MeetingRows::micros).sum();
            sites.put(dc, List.of((long) list.size(), sum, list.get(0),
                    list.size() > 1 ? list.get(1) : Double.NEGATIVE_INFINITY));
        });
        return sites;
    }
}
