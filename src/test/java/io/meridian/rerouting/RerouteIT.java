package io.meridian.rerouting;

import io.meridian.PackagedService;
import io.meridian.ServiceClient;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live re-routing across packaged replicas on one PostgreSQL: a policy change made on one replica
 * and a DC set DOWN on the other move every affected participant exactly once, leave nobody in a
 * forbidden place and no DC over its headroom; a replica killed with kill -9 while it moves people
 * leaves its job to another, which finishes it without moving anyone twice.
 */
class RerouteIT {

    private static final String MUMBAI = "{\"latitude\": 19.07, \"longitude\": 72.88}";
    private static final String SINGAPORE = "{\"latitude\": 1.35, \"longitude\": 103.82}";
    private static final String MEXICO = "{\"latitude\": 19.43, \"longitude\": -99.13}";

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(System.getenv("MERIDIAN_IT_PG_URL"),
                System.getenv().getOrDefault("MERIDIAN_IT_PG_USER", "meridian"),
                System.getenv().getOrDefault("MERIDIAN_IT_PG_PASSWORD", "meridian"));
    }

    private static long scalar(String sql, Object... args) throws SQLException {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Moves per (meeting, participant), from the stored events. */
    private static Map<String, Integer> moves(List<String> meetings) throws SQLException {
        Map<String, Integer> moves = new HashMap<>();
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("select meeting_id, body from meeting_event "
                + "where type = 'PARTICIPANT_MOVED' and meeting_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", meetings.toArray()));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    moves.merge(r.getString(1) + "/" + JsonPath.from(r.getString(2)).getString("participantId"), 1,
                            Integer::sum);
                }
            }
        }
        return moves;
    }

    private static void await(String what, Duration limit, java.util.concurrent.Callable<Boolean> done) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!done.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Opens meetings and joins three people to each, spread over the replicas; answers the ids. */
    private static List<String> open(List<PackagedService> replicas, String token, String prefix, int n, String body,
                                     String... locations) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ServiceClient client = new ServiceClient(token);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                PackagedService r = replicas.get(m % replicas.size());
                String label = prefix + "-" + m;
                created.add(pool.submit(() -> {
                    String id = client.post(r.url("/api/v1/meetings"), body.replace("LABEL", label)).expect(201)
                            .json().getString("id");
                    for (int p = 0; p < locations.length; p++) {
                        client.post(r.url("/api/v1/meetings/" + id + "/participants"),
                                "{\"id\": \"p" + p + "\", \"location\": " + locations[p] + "}").expect(201);
                    }
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : created) {
                ids.add(f.get(120, TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Participant → (data center, region) of each meeting, as a replica serves it. */
    private static Map<String, List<String>> where(PackagedService r, String token, List<String> meetings) {
        Map<String, List<String>> where = new HashMap<>();
        ServiceClient client = new ServiceClient(token);
        for (String id : meetings) {
            JsonPath m = client.get(r.url("/api/v1/meetings/" + id)).expect(200).json();
            List<String> ps = m.getList("participants.participantId");
            List<String> dcs = m.getList("participants.dataCenter");
            List<String> regions = m.getList("participants.region");
            for (int i = 0; i < ps.size(); i++) {
                where.put(id + "/" + ps.get(i), List.of(dcs.get(i), regions.get(i)));
            }
        }
        return where;
    }

    private static void assertNoDataCenterOverHeadroom(PackagedService r, String token) throws SQLException {
        List<Map<String, Object>> dcs = RestAssured.given().auth().oauth2(token).when().get(r.url("/api/v1/data-centers"))
                .then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> dc : dcs) {
            assertThat(((Number) dc.get("headroom")).intValue()).as("headroom of " + dc.get("id")).isGreaterThanOrEqualTo(0);
        }
        // the live counters are exactly the participants present
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("select s.data_center_id, s.live, "
                + "(select count(*) from meeting_participant p where p.data_center_id = s.data_center_id) "
                + "from data_center_state s")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getLong(2)).as("live on " + rs.getString(1)).isEqualTo(rs.getLong(3));
                }
            }
        }
    }

    @Test
    void aPolicyChangeOnOneReplicaAndADownOnTheOtherShouldMoveEachAffectedParticipantOnce() throws Exception {
        PackagedService.requirePostgresql();
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String token = issuer.token("it-rr-controller", Roles.MEETING_CLIENT);
        ServiceClient client = new ServiceClient(token);
        String admin = issuer.token("it-rr-admin", Roles.REGION_ADMIN, "it-rr");
        String ops = issuer.token("it-rr-ops", Roles.OPS);
        try (PackagedService a = PackagedService.start(PackagedService.freePort(), issuer);
             PackagedService b = PackagedService.start(PackagedService.freePort(), issuer)) {
            List<PackagedService> replicas = List.of(a, b);
            List<String> india = open(replicas, token, "it-rr-in", 100,
                    "{\"meetingId\": \"LABEL\", \"accountId\": \"it-rr\"}", MUMBAI, MUMBAI, SINGAPORE);
            List<String> mexico = open(replicas, token, "it-rr-la", 100,
                    "{\"meetingId\": \"LABEL\", \"allowedRegions\": [\"LA\"]}", MEXICO, MEXICO, MEXICO);
            List<String> all = new ArrayList<>(india);
            all.addAll(mexico);
            Map<String, List<String>> before = where(a, token, all);
            try {
                RestAssured.given().auth().oauth2(admin).contentType(ContentType.JSON)
                        .body("{\"blockedRegions\": [\"IN\"]}").when()
                        .put(a.url("/api/v1/accounts/it-rr/region-policy")).then().statusCode(200)
                        .header("Meridian-Live-Meetings-Affected", String.valueOf(india.size()));
                RestAssured.given().auth().oauth2(ops).contentType(ContentType.JSON)
                        .body("{\"status\": \"DOWN\", \"reason\": \"it\"}").when()
                        .put(b.url("/api/v1/data-centers/la-mex/status")).then().statusCode(200);
                long start = System.nanoTime();
                await("every re-routing job is done", Duration.ofSeconds(60),
                        () -> scalar("select count(*) from reroute_job where state = 'PENDING'") == 0);
                System.out.printf("re-routing of %d meetings on two replicas done within %d ms of the changes%n",
                        all.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                Map<String, Integer> moves = moves(all);
                Map<String, List<String>> after = where(b, token, all);
                for (Map.Entry<String, List<String>> e : before.entrySet()) {
                    boolean affected = e.getValue().get(1).equals("IN") || e.getValue().get(0).equals("la-mex");
                    assertThat(moves.getOrDefault(e.getKey(), 0)).as("moves of " + e.getKey())
                            .isEqualTo(affected ? 1 : 0);
                    assertThat(after.get(e.getKey())).as("where " + e.getKey() + " is").isNotNull();
                    assertThat(after.get(e.getKey()).get(1)).isNotEqualTo("IN");
                    assertThat(after.get(e.getKey()).get(0)).isNotEqualTo("la-mex");
                }
                assertThat(moves.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(
                        mexico.size() * 3 + india.size() * 2);
                assertNoDataCenterOverHeadroom(a, token);
            } finally {
                RestAssured.given().auth().oauth2(ops).contentType(ContentType.JSON)
                        .body("{\"status\": \"ACTIVE\", \"reason\": \"it\"}").when()
                        .put(b.url("/api/v1/data-centers/la-mex/status"));
                for (String id : all) {
                    client.delete(a.url("/api/v1/meetings/" + id));
                }
                String etag = RestAssured.given().auth().oauth2(admin).when()
                        .get(a.url("/api/v1/accounts/it-rr/region-policy")).header("ETag");
                RestAssured.given().auth().oauth2(admin).header("If-Match", etag).when()
                        .delete(a.url("/api/v1/accounts/it-rr/region-policy"));
            }
        }
    }

    @Test
    void aReplicaKilledWhileMovingShouldLeaveItsJobToAnotherThatMovesNobodyTwice() throws Exception {
        PackagedService.requirePostgresql();
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String token = issuer.token("it-rr-crash-controller", Roles.MEETING_CLIENT);
        ServiceClient client = new ServiceClient(token);
        String admin = issuer.token("it-rr-crash-admin", Roles.REGION_ADMIN, "it-rr-crash");
        // a slow worker (one meeting per transaction, four per chunk) and a short claim lease
        Map<String, String> slow = Map.of("MERIDIAN_MEETINGS_BATCH_SIZE", "1", "MERIDIAN_REROUTING_CHUNK", "4",
                "MERIDIAN_REROUTING_CLAIM_LEASE", "3s");
        PackagedService a = PackagedService.start(PackagedService.freePort(), issuer, slow);
        List<String> meetings;
        long doneAtKill;
        try {
            meetings = open(List.of(a), token, "it-rr-crash", 100,
                    "{\"meetingId\": \"LABEL\", \"accountId\": \"it-rr-crash\"}", MUMBAI, MUMBAI);
            RestAssured.given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body("{\"blockedRegions\": [\"IN\"]}").when()
                    .put(a.url("/api/v1/accounts/it-rr-crash/region-policy")).then().statusCode(200);
            await("the replica has moved some", Duration.ofSeconds(30), () -> scalar("select coalesce(max("
                    + "meetings_done), 0) from reroute_job where account_id = 'it-rr-crash'") > 0);
            a.kill();
            doneAtKill = scalar("select meetings_done from reroute_job where account_id = 'it-rr-crash'");
        } catch (RuntimeException | Error e) {
            a.kill();
            throw e;
        }
        assertThat(scalar("select count(*) from reroute_job where account_id = 'it-rr-crash' and state = 'DONE'"))
                .as("killed half-way").isZero();
        try (PackagedService b = PackagedService.start(PackagedService.freePort(), issuer)) {
            await("the other replica finished the job", Duration.ofSeconds(60), () -> scalar("select count(*) "
                    + "from reroute_job where account_id = 'it-rr-crash' and state = 'DONE'") == 1);
            System.out.printf("kill -9 after %d of %d meetings were fixed; the other replica finished the job%n",
                    doneAtKill, meetings.size());
            assertThat(scalar("select attempts from reroute_job where account_id = 'it-rr-crash'")).isEqualTo(2);
            Map<String, Integer> moves = moves(meetings);
            assertThat(moves).hasSize(meetings.size() * 2);
            assertThat(moves.values()).as("each participant moved exactly once").containsOnly(1);
            Map<String, List<String>> after = where(b, token, meetings);
            assertThat(after).hasSize(meetings.size() * 2);
            assertThat(after.values()).allSatisfy(w -> assertThat(w.get(1)).isNotEqualTo("IN"));
            assertNoDataCenterOverHeadroom(b, token);
            for (String id : meetings) {
                client.delete(b.url("/api/v1/meetings/" + id));
            }
            String etag = RestAssured.given().auth().oauth2(admin).when()
                    .get(b.url("/api/v1/accounts/it-rr-crash/region-policy")).header("ETag");
            RestAssured.given().auth().oauth2(admin).header("If-Match", etag).when()
                    .delete(b.url("/api/v1/accounts/it-rr-crash/region-policy"));
        }
    }

    @Test
    void aDataCenterGoneFromTheModelShouldHaveItsPeopleMovedAtTheNextStart() throws Exception {
        PackagedService.requirePostgresql();
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String token = issuer.token("it-rr-model-controller", Roles.MEETING_CLIENT);
        ServiceClient client = new ServiceClient(token);
        List<String> meetings;
        try (PackagedService a = PackagedService.start(PackagedService.freePort(), issuer)) {
            meetings = open(List.of(a), token, "it-rr-model", 3, "{\"meetingId\": \"LABEL\", \"allowedRegions\": [\"LA\"]}",
                    MEXICO, MEXICO);
            assertThat(where(a, token, meetings).values()).allSatisfy(w -> assertThat(w.get(0)).isEqualTo("la-mex"));
        }
        // the same model without Mexico City
        java.nio.file.Path model = java.nio.file.Files.createTempFile("model-without-la-mex", ".yaml");
        String full = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/io/meridian/catalog/data-centers.yaml"));
        String without = full.lines().filter(l -> !l.contains("id: la-mex"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertThat(without).isNotEqualTo(full);
        java.nio.file.Files.writeString(model, without);
        try (PackagedService b = PackagedService.start(PackagedService.freePort(), issuer,
                Map.of("MERIDIAN_MODEL_LOCATION", model.toString()))) {
            await("the participants left la-mex", Duration.ofSeconds(60), () -> moves(meetings).size() == 6);
            assertThat(moves(meetings).values()).containsOnly(1);
            assertThat(where(b, token, meetings).values()).allSatisfy(w -> assertThat(w.get(0)).isEqualTo("la-gru"));
            for (String id : meetings) {
                client.delete(b.url("/api/v1/meetings/" + id));
            }
        }
    }
}
