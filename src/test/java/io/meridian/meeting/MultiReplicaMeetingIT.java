package io.meridian.meeting;

import io.meridian.PackagedService;
import io.meridian.ServiceClient;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged service on one PostgreSQL: 100 meetings of 50 people joining at once,
 * half of each meeting's joins through each replica, against Japan loaded to leave room for fewer.
 * No data center over its headroom, the live counters equal to the database's participants, every
 * refused join holding nothing, nobody outside Japan; then ended meetings and run-out leases free
 * everything.
 */
class MultiReplicaMeetingIT {

    private static final int MEETINGS = 100;
    private static final int PEOPLE = 50;
    private static final int THREADS = 64;
    /** Room left in Japan: jp-tyo floor(25000 * 0.85) and jp-osa floor(10000 * 0.85), loaded by reports. */
    private static final Map<String, Integer> ROOM = Map.of("jp-tyo", 2000, "jp-osa", 1000);
    private static final Map<String, Integer> USABLE = Map.of("jp-tyo", 21250, "jp-osa", 8500);

    @Test
    void joinsOnTwoReplicasShouldNeverOverbookAndEndsShouldFreeEverything() throws Exception {
        // two replicas share one database: PostgreSQL (an H2 file belongs to one process)
        PackagedService.requirePostgresql();
        Map<String, String> db = PackagedService.database();
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String token = issuer.token("it-controller", Roles.MEETING_CLIENT);
        String ops = issuer.token("it-ops", Roles.OPS);
        Map<String, String> settings = Map.of("MERIDIAN_MEETINGS_LEASE", "PT8S", "MERIDIAN_MEETINGS_EXPIRY_INTERVAL", "1s");
        try (PackagedService a = PackagedService.start(PackagedService.freePort(), issuer, settings);
             PackagedService b = PackagedService.start(PackagedService.freePort(), issuer, settings)) {
            List<PackagedService> replicas = List.of(a, b);
            report(a, ops, load -> USABLE.get(load) - ROOM.get(load));
            try {
                ServiceClient client = new ServiceClient(token);
                List<String> meetings = new ArrayList<>();
                for (int m = 0; m < MEETINGS; m++) {
                    meetings.add(client.post(replicas.get(m % 2).url("/api/v1/meetings"),
                            "{\"meetingId\": \"it-" + m + "\", \"allowedRegions\": [\"JP\"]}").expect(201)
                            .json().getString("id"));
                }
                // the controllers renew their meetings' leases while people join (on a loaded machine the
                // joins may take longer than a lease)
                java.util.concurrent.ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();
                renewer.scheduleWithFixedDelay(() -> {
                    try {
                        meetings.forEach(m -> client.put(a.url("/api/v1/meetings/" + m + "/lease")));
                    } catch (RuntimeException e) {
                        // a renewal cut short (at shutdown, or by a slow answer) is retried at the next round
                    }
                }, 2, 2, TimeUnit.SECONDS);
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<ServiceClient.Answer>> answers = new ArrayList<>();
                List<String[]> asked = new ArrayList<>();
                long start = System.nanoTime();
                for (int p = 0; p < PEOPLE; p++) {
                    for (int m = 0; m < MEETINGS; m++) {
                        PackagedService target = replicas.get((m + p) % 2);
                        String url = target.url("/api/v1/meetings/" + meetings.get(m) + "/participants");
                        // Tokyo and Osaka people, and some in Seoul, whose nearest data center (Beijing) is not allowed
                        String location = p % 5 == 0 ? "{\"latitude\": 37.57, \"longitude\": 126.98}"
                                : p % 2 == 0 ? "{\"latitude\": 34.69, \"longitude\": 135.50}"
                                : "{\"latitude\": 35.68, \"longitude\": 139.65}";
                        String body = "{\"id\": \"p" + p + "\", \"location\": " + location + "}";
                        asked.add(new String[] {meetings.get(m), "p" + p});
                        answers.add(pool.submit(() -> client.post(url, body)));
                    }
                }
                int placed = 0;
                Map<Integer, Integer> other = new TreeMap<>();
                Set<String> refused = new HashSet<>();
                Map<String, Integer> placedPerDc = new TreeMap<>();
                for (int i = 0; i < answers.size(); i++) {
                    ServiceClient.Answer r = answers.get(i).get(300, TimeUnit.SECONDS);
                    if (r.status() == 201) {
                        placed++;
                        placedPerDc.merge(r.json().getString("dataCenter"), 1, Integer::sum);
                    } else if (r.status() == 503) {
                        assertThat(r.json().getString("type")).endsWith("/problems/no-permitted-capacity");
                        assertThat(r.header("Retry-After")).isPresent();
                        refused.add(asked.get(i)[0] + "/" + asked.get(i)[1]);
                    } else {
                        other.merge(r.status(), 1, Integer::sum);
                    }
                }
                pool.shutdown();
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, int[]> counters = counters(db);
                Map<String, Integer> inDatabase = participantsByDc(db);
                System.out.printf("multi-replica meetings: %d joins into %d meetings over 2 replicas in %.1f s: "
                                + "%d placed (201), %d refused (503), other %s; placed per DC %s; participants in the "
                                + "database %s; room %s%n", answers.size(), MEETINGS, seconds, placed, refused.size(),
                        other, placedPerDc, inDatabase, ROOM);
                assertThat(other).as("no status other than 201 and 503").isEmpty();
                assertThat(placed).as("the room was used").isEqualTo(ROOM.values().stream().mapToInt(i -> i).sum());
                assertThat(inDatabase).as("the database holds exactly the 201s").isEqualTo(placedPerDc);
                assertThat(inDatabase.keySet()).as("never outside Japan").allMatch(dc -> dc.startsWith("jp-"));
                ROOM.forEach((dc, room) -> {
                    assertThat(inDatabase.getOrDefault(dc, 0)).as("%s within its headroom", dc).isLessThanOrEqualTo(room);
                    assertThat(counters.get(dc)[0]).as("%s live counter", dc).isEqualTo(inDatabase.getOrDefault(dc, 0));
                    assertThat(counters.get(dc)[1]).as("%s live holds", dc).isEqualTo(inDatabase.getOrDefault(dc, 0));
                });
                assertThat(refusedHeld(db, refused)).as("refused joins hold nothing").isZero();
                // every replica's catalogue shows the shared live count (refreshed within a second or two)
                for (PackagedService replica : replicas) {
                    awaitLive(replica, token, inDatabase);
                }

                // the controllers end half the meetings; the other half vanish (their leases no longer
                // renewed) and end by their lease
                renewer.shutdownNow();
                renewer.awaitTermination(30, TimeUnit.SECONDS);
                for (int m = 0; m < MEETINGS; m += 2) {
                    client.delete(replicas.get(m % 4 == 0 ? 0 : 1).url("/api/v1/meetings/" + meetings.get(m)))
                            .expect(204);
                }
                Map<String, int[]> half = counters(db);
                assertThat(half.get("jp-tyo")[0] + half.get("jp-osa")[0]).as("ended meetings freed at once")
                        .isEqualTo(participantsByDc(db).values().stream().mapToInt(i -> i).sum());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (liveMeetings(db) > 0 && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(500);
                }
                assertThat(liveMeetings(db)).as("meetings left after their leases ran out").isZero();
                Map<String, int[]> end = counters(db);
                ROOM.keySet().forEach(dc -> assertThat(end.get(dc)).as(dc + " after every meeting ended")
                        .containsExactly(0, 0));
                assertThat(participantsByDc(db)).isEmpty();
            } finally {
                report(a, ops, dc -> 0);
            }
        }
    }

    private interface Load {
        int of(String dc);
    }

    private static void report(PackagedService service, String ops, Load load) {
        for (String dc : ROOM.keySet()) {
            RestAssured.given().auth().oauth2(ops).contentType(ContentType.JSON)
                    .body("{\"activeParticipants\": " + load.of(dc) + ", \"reportedAt\": \"" + Instant.now() + "\"}")
                    .when().post(service.url("/api/v1/data-centers/" + dc + "/load-reports")).then().statusCode(202);
        }
    }

    private static void awaitLive(PackagedService replica, String token, Map<String, Integer> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Integer> shown = Map.of();
        while (System.nanoTime() < deadline) {
            shown = new TreeMap<>();
            for (String dc : ROOM.keySet()) {
                int live = RestAssured.given().auth().oauth2(token).when()
                        .get(replica.url("/api/v1/data-centers/" + dc)).then().extract().path("live");
                if (live > 0) {
                    shown.put(dc, live);
                }
            }
            if (shown.equals(expected)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(shown).as("live on a replica's catalogue").isEqualTo(expected);
    }

    private static Connection connect(Map<String, String> db) throws Exception {
        return DriverManager.getConnection(db.get("QUARKUS_DATASOURCE_JDBC_URL"), db.get("QUARKUS_DATASOURCE_USERNAME"),
                db.get("QUARKUS_DATASOURCE_PASSWORD"));
    }

    /** Per Japanese DC: {live counter, sum of live holds}. */
    private static Map<String, int[]> counters(Map<String, String> db) throws Exception {
        Map<String, int[]> counters = new TreeMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select s.data_center_id, s.live, (select coalesce(sum(h.places), 0) "
                     + "from live_hold h where h.data_center_id = s.data_center_id) from data_center_state s "
                     + "where s.data_center_id like 'jp-%'")) {
            while (r.next()) {
                counters.put(r.getString(1), new int[] {r.getInt(2), r.getInt(3)});
            }
        }
        return counters;
    }

    private static Map<String, Integer> participantsByDc(Map<String, String> db) throws Exception {
        Map<String, Integer> byDc = new TreeMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select p.data_center_id, count(*) from meeting_participant p "
                     + "join meeting m on m.id = p.meeting_id where m.label like 'it-%' group by p.data_center_id")) {
            while (r.next()) {
                byDc.put(r.getString(1), r.getInt(2));
            }
        }
        return byDc;
    }

    private static int refusedHeld(Map<String, String> db, Set<String> refused) throws Exception {
        int held = 0;
        try (Connection c = connect(db);
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from meeting_participant where meeting_id = ? and participant_id = ?")) {
            for (String key : refused) {
                String[] k = key.split("/");
                ps.setString(1, k[0]);
                ps.setString(2, k[1]);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    held += r.getInt(1);
                }
            }
        }
        return held;
    }

    private static long liveMeetings(Map<String, String> db) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from meeting where label like 'it-%'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
