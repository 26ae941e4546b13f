package io.meridian.reservation;

import io.meridian.PackagedService;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged service on one PostgreSQL database, many concurrent reserving
 * requests aimed at one region: no data center's holds may exceed its headroom, every 200 must hold
 * exactly what it says, and the database must hold exactly the sum of the 200s. PostgreSQL only:
 * the exactness across processes rests on its row locks (an H2 file serves one process).
 */
class MultiReplicaReservationIT {

    private static final int REQUESTS = 240;
    private static final int PARTICIPANTS = 150;
    private static final int THREADS = 16;
    /** Australia: floor(12000 * 0.85) + floor(8000 * 0.85); at most 113 meetings of 150 fit. */
    private static final Map<String, Integer> USABLE = Map.of("au-syd", 10200, "au-mel", 6800);

    private static String meeting(int n) {
        StringBuilder sb = new StringBuilder("{\"allowedRegions\": [\"AU\"], \"strategy\": \"CASCADE\", \"reserve\": true, "
                + "\"participants\": [");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\": \"p").append(i).append("\", \"location\": {\"latitude\": -33.9, "
                    + "\"longitude\": 151.2}}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void concurrentReservationsOnTwoReplicasShouldNeverOverbook() throws Exception {
        PackagedService.requirePostgresql();
        Map<String, String> db = PackagedService.database();
        clearReservations(db);
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String token = issuer.token("load-test", Roles.MEETING_CLIENT);
        String body = meeting(PARTICIPANTS);
        try (PackagedService a = PackagedService.start(PackagedService.freePort(), issuer);
             PackagedService b = PackagedService.start(PackagedService.freePort(), issuer)) {
            List<PackagedService> replicas = List.of(a, b);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Response>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < REQUESTS; i++) {
                PackagedService target = replicas.get(i % 2);
                futures.add(pool.submit(() -> RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(body).when().post(target.url("/api/v1/routing-plans")).andReturn()));
            }
            int ok = 0;
            int refused = 0;
            Map<String, Integer> heldBy200s = new TreeMap<>();
            Map<Integer, Integer> other = new TreeMap<>();
            for (Future<Response> f : futures) {
                Response r = f.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                    Map<String, Integer> held = r.jsonPath().getMap("reservation.participantsByDataCenter");
                    Map<String, Integer> planned = new TreeMap<>();
                    for (Map<String, Object> dc : r.jsonPath().<Map<String, Object>>getList("dataCenters")) {
                        planned.put((String) dc.get("id"), (Integer) dc.get("participants"));
                    }
                    assertThat(held).as("a 200 holds exactly its plan").isEqualTo(planned);
                    assertThat(held.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(PARTICIPANTS);
                    held.forEach((dc, n) -> heldBy200s.merge(dc, n, Integer::sum));
                } else if (r.statusCode() == 503) {
                    refused++;
                    assertThat(r.header("Retry-After")).isNotNull();
                } else {
                    other.merge(r.statusCode(), 1, Integer::sum);
                }
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Integer> inDatabase = liveHolds(db);
            System.out.printf("multi-replica reservations: %d requests of %d participants over 2 replicas in %.1f s: "
                            + "%d held (200), %d refused (503), other %s; held per DC by the 200s %s; live holds in the "
                            + "database %s; usable capacity %s%n", REQUESTS, PARTICIPANTS, seconds, ok, refused, other,
                    heldBy200s, inDatabase, USABLE);
            assertThat(other).as("no status other than 200 and 503").isEmpty();
            assertThat(inDatabase).as("the database holds exactly what the 200s said").isEqualTo(heldBy200s);
            inDatabase.forEach((dc, n) -> assertThat(n).as("%s within its headroom", dc).isLessThanOrEqualTo(USABLE.get(dc)));
            assertThat(ok).as("capacity was used, not refused wholesale").isGreaterThanOrEqualTo(100);
            assertThat(ok * PARTICIPANTS).isLessThanOrEqualTo(17000);
        }
    }

    private static Connection connect(Map<String, String> db) throws Exception {
        return DriverManager.getConnection(db.get("QUARKUS_DATASOURCE_JDBC_URL"), db.get("QUARKUS_DATASOURCE_USERNAME"),
                db.get("QUARKUS_DATASOURCE_PASSWORD"));
    }

    private static void clearReservations(Map<String, String> db) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            ResultSet tables = c.getMetaData().getTables(null, null, "reservation", null);
            if (tables.next()) {
                s.executeUpdate("delete from reservation");
            }
        }
    }

    private static Map<String, Integer> liveHolds(Map<String, String> db) throws Exception {
        Map<String, Integer> holds = new TreeMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select h.data_center_id, sum(h.participants) from reservation_hold h "
                     + "join reservation v on v.id = h.reservation_id where v.expires_at > now() group by h.data_center_id")) {
            while (r.next()) {
                holds.put(r.getString(1), r.getInt(2));
            }
        }
        return holds;
    }
}
