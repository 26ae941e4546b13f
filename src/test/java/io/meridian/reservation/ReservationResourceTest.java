package io.meridian.reservation;

import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/** Reserving plans on India's sites (no other test depends on their headroom); every hold is released. */
@QuarkusTest
class ReservationResourceTest {

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    static final int IN_HEADROOM = 17000 + 10200;

    static String meeting(int n) {
        StringBuilder sb = new StringBuilder("{\"allowedRegions\": [\"IN\"], \"strategy\": \"CASCADE\", \"reserve\": true, \"participants\": [");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\": \"p").append(i).append("\", \"location\": {\"country\": \"IN\"}}");
        }
        return sb.append("]}").toString();
    }

    static int reservedInIndia() {
        JsonPath all = Tokens.asClient().when().get("/api/v1/data-centers").then().extract().jsonPath();
        return all.getInt("findAll { it.region == 'IN' }.reserved.sum()");
    }

    static int headroomInIndia() {
        JsonPath all = Tokens.asClient().when().get("/api/v1/data-centers").then().extract().jsonPath();
        return all.getInt("findAll { it.region == 'IN' }.headroom.sum()");
    }

    static JsonPath reserve(String body, String key) {
        var request = Tokens.asClient().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/routing-plans").then().statusCode(200).extract().jsonPath();
    }

    /** Stops the pool and releases what a test held: afterwards India is as before. */
    static void releaseAll(java.util.concurrent.ExecutorService pool, List<String> held) {
        pool.shutdownNow();
        held.forEach(ReservationResourceTest::release);
    }

    static void release(String id) {
        Tokens.asClient().when().delete("/api/v1/reservations/" + id).then().statusCode(204);
    }

    @Test
    void reservingShouldHoldAndReleasingShouldGiveBack() {
        int before = reservedInIndia();
        JsonPath plan = reserve(meeting(5), null);
        String id = plan.getString("reservation.id");
        try {
            checkHoldAndRenew(plan, id, before);
        } finally {
            Tokens.asClient().when().delete("/api/v1/reservations/" + id);
        }
        assertThat(reservedInIndia()).isEqualTo(before);
        Tokens.asClient().when().delete("/api/v1/reservations/" + id).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        Tokens.asClient().when().put("/api/v1/reservations/" + id + "/lease").then().statusCode(404);
        Tokens.asClient().when().put("/api/v1/reservations/01JDN0SVCHRESERVAT10N00000/lease").then().statusCode(404);
        // no ULID at all: not an id this service could have issued
        Tokens.asClient().when().put("/api/v1/reservations/01JDNOSUCHRESERVATION0000/lease").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("id"));
    }

    private static void checkHoldAndRenew(JsonPath plan, String id, int before) {
        Map<String, Integer> held = plan.getMap("reservation.participantsByDataCenter");
        assertThat(held.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(Instant.parse(plan.getString("reservation.expiresAt"))).isAfter(Instant.now().plusSeconds(200));
        assertThat(reservedInIndia()).isEqualTo(before + 5);
        assertThat(headroomInIndia()).isEqualTo(IN_HEADROOM - before - 5);

        Instant renewed = Instant.parse(Tokens.asClient().when().put("/api/v1/reservations/" + id + "/lease").then()
                .statusCode(200).body("id", equalTo(id)).extract().path("expiresAt"));
        assertThat(renewed).isAfterOrEqualTo(Instant.parse(plan.getString("reservation.expiresAt")));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyShouldGetTheFirstAnswerAndHoldNothingMore() {
        int before = reservedInIndia();
        String key = "retry-" + UUID.randomUUID();
        String body = meeting(4);
        JsonPath first = reserve(body, key);
        JsonPath again = reserve(body, key);
        assertThat(again.getString("planId")).isEqualTo(first.getString("planId"));
        assertThat(again.getString("reservation.id")).isEqualTo(first.getString("reservation.id"));
        assertThat(reservedInIndia()).isEqualTo(before + 4);
        Tokens.asClient().contentType(ContentType.JSON).header("Idempotency-Key", key).body(meeting(3))
                .when().post("/api/v1/routing-plans").then().statusCode(422)
                .body("type", endsWith("/problems/idempotency-key-reused"));
        release(first.getString("reservation.id"));
        assertThat(reservedInIndia()).isEqualTo(before);
    }

    @Test
    void reservationsShouldNeverExceedHeadroom() {
        int before = reservedInIndia();
        JsonPath big = reserve(meeting(20000), null);
        try {
            // 27200 - 20000 = 7200 left: 8000 more cannot be held, not even by spilling elsewhere
            Tokens.asClient().contentType(ContentType.JSON).body(meeting(8000)).when().post("/api/v1/routing-plans")
                    .then().statusCode(503)
                    .header("Retry-After", equalTo("30"))
                    .body("unroutableParticipants", equalTo(8000 - (IN_HEADROOM - before - 20000)));
            assertThat(reservedInIndia()).isEqualTo(before + 20000);
        } finally {
            release(big.getString("reservation.id"));
        }
        assertThat(reservedInIndia()).isEqualTo(before);
    }

    /**
     * Concurrent reserving requests are held in shared transactions (group commit); whatever the
     * batching, holds never exceed headroom, equal the 200 answers exactly, and Idempotency-Key
     * twins sent at the same moment hold once.
     */
    @Test
    void concurrentReservationsShouldNeverOverbookAndTwinsShouldHoldOnce() throws Exception {
        int before = reservedInIndia();
        int room = IN_HEADROOM - before;
        int size = 1500;
        int requests = 24;
        String key = "twin-" + UUID.randomUUID();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(requests + 4);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<io.restassured.response.Response>> big = new java.util.ArrayList<>();
        List<java.util.concurrent.Future<io.restassured.response.Response>> twins = new java.util.ArrayList<>();
        List<String> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                big.add(pool.submit(() -> {
                    go.await();
                    return Tokens.asClient().contentType(ContentType.JSON).body(meeting(size))
                            .when().post("/api/v1/routing-plans");
                }));
            }
            for (int i = 0; i < 4; i++) {
                twins.add(pool.submit(() -> {
                    go.await();
                    return Tokens.asClient().contentType(ContentType.JSON).header("Idempotency-Key", key)
                            .body(meeting(7)).when().post("/api/v1/routing-plans");
                }));
            }
            go.countDown();
            int refused = 0;
            for (var answer : big) {
                var response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    held.add(response.jsonPath().getString("reservation.id"));
                } else {
                    assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
                    assertThat(response.jsonPath().getString("type")).endsWith("/problems/no-permitted-capacity");
                    refused++;
                }
            }
            java.util.Set<String> twinIds = new java.util.HashSet<>();
            for (var answer : twins) {
                var response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
                twinIds.add(response.jsonPath().getString("reservation.id"));
            }
            assertThat(twinIds).hasSize(1);
            held.add(twinIds.iterator().next());
            int reserved = reservedInIndia() - before;
            assertThat(reserved).isEqualTo((held.size() - 1) * size + 7).isLessThanOrEqualTo(room);
            assertThat(held.size() - 1 + refused).isEqualTo(requests);
            assertThat(held.size() - 1).isGreaterThan(0).isLessThanOrEqualTo((room - 7) / size);
            Counters.assertMatchHolds(em);
        } finally {
            releaseAll(pool, held);
        }
        assertThat(reservedInIndia()).isEqualTo(before);
        Counters.assertMatchHolds(em);
    }

    /**
     * Releases share the holder's transactions too: the same reservation released four times at once,
     * next to releases of others and new reservations, gives its holds back exactly once.
     */
    @Test
    void concurrentReleasesShouldGiveBackOnce() throws Exception {
        int before = reservedInIndia();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(reserve(meeting(3 + i), null).getString("reservation.id"));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Map<String, List<java.util.concurrent.Future<Integer>>> deletes = new java.util.HashMap<>();
        List<java.util.concurrent.Future<io.restassured.response.Response>> fresh = new java.util.ArrayList<>();
        List<String> held = new java.util.ArrayList<>();
        try {
            for (String id : ids) {
                int times = id.equals(ids.get(0)) ? 4 : 1;
                for (int i = 0; i < times; i++) {
                    deletes.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(pool.submit(() -> {
                        go.await();
                        return Tokens.asClient().when().delete("/api/v1/reservations/" + id).statusCode();
                    }));
                }
            }
            for (int i = 0; i < 4; i++) {
                fresh.add(pool.submit(() -> {
                    go.await();
                    return Tokens.asClient().contentType(ContentType.JSON).body(meeting(2))
                            .when().post("/api/v1/routing-plans");
                }));
            }
            go.countDown();
            for (var e : deletes.entrySet()) {
                List<Integer> codes = new java.util.ArrayList<>();
                for (var f : e.getValue()) {
                    codes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertThat(codes).as(e.getKey()).containsOnlyOnce(204);
                assertThat(codes.stream().filter(c -> c != 204)).allMatch(c -> c == 404);
            }
            for (var f : fresh) {
                var response = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
                held.add(response.jsonPath().getString("reservation.id"));
            }
            assertThat(reservedInIndia()).isEqualTo(before + 4 * 2);
            Counters.assertMatchHolds(em);
        } finally {
            releaseAll(pool, held);
        }
        assertThat(reservedInIndia()).isEqualTo(before);
        Counters.assertMatchHolds(em);
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    /** Whether some database session waits for a row lock (H2 or PostgreSQL). */
    private boolean someoneWaitsForALock(java.sql.Connection c) throws java.sql.SQLException {
        String sql = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")
                ? "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()"
                : "select count(*) from information_schema.sessions where blocker_id is not null";
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /**
     * A reservation stuck on row locks (another replica's batch holding India's rows) must not hold up
     * this replica's capacity refresh: a data center set DRAINING meanwhile shows at once. (sg-sin
     * sorts after India's sites, so the counter repair job, which locks every row in id order, never
     * holds it while it waits for India's.)
     */
    @Test
    void aReservationWaitingForRowLocksShouldNotHoldUpAStatusChange() throws Exception {
        List<String> india = Tokens.asClient().when().get("/api/v1/data-centers").then().extract().jsonPath()
                .getList("findAll { it.region == 'IN' }.id");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1);
        java.util.concurrent.Future<io.restassured.response.Response> stuck = null;
        try (java.sql.Connection other = dataSource.getConnection(); java.sql.Connection watch = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = other.prepareStatement("select data_center_id from data_center_state "
                    + "where data_center_id in (" + String.join(",", java.util.Collections.nCopies(india.size(), "?"))
                    + ") for update")) {
                for (int i = 0; i < india.size(); i++) {
                    lock.setString(i + 1, india.get(i));
                }
                lock.executeQuery().close();
            }
            stuck = pool.submit(() -> Tokens.asClient().contentType(ContentType.JSON).body(meeting(3))
                    .when().post("/api/v1/routing-plans"));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(8);
            while (!someoneWaitsForALock(watch) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(someoneWaitsForALock(watch)).as("the reservation waits for India's rows").isTrue();
            long start = System.nanoTime();
            Tokens.as(io.meridian.security.Roles.OPS).contentType(ContentType.JSON)
                    .body("{\"status\": \"DRAINING\", \"reason\": \"lock test\"}")
                    .when().put("/api/v1/data-centers/sg-sin/status").then().statusCode(200)
                    .body("status", equalTo("DRAINING"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(stuck.isDone()).as("the reservation still waits for the rows").isFalse();
            assertThat(millis).as("status change while a reservation waits for row locks, ms").isLessThan(3000);
            other.rollback();
        } finally {
            Tokens.as(io.meridian.security.Roles.OPS).contentType(ContentType.JSON)
                    .body("{\"status\": \"ACTIVE\", \"reason\": \"lock test over\"}")
                    .when().put("/api/v1/data-centers/sg-sin/status").then().statusCode(200);
            if (stuck != null) {
                var answer = stuck.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    release(answer.jsonPath().getString("reservation.id"));
                }
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            }
            pool.shutdownNow();
        }
        Counters.assertMatchHolds(em);
    }

    @jakarta.inject.Inject
    ReservationService reservations;

    /** One batch that releases a reservation twice, and one that does not exist, gives back once. */
    @Test
    void aBatchReleasingOneReservationTwiceShouldGiveBackOnce() {
        int before = reservedInIndia();
        String a = reserve(meeting(4), null).getString("reservation.id");
        String b = reserve(meeting(6), null).getString("reservation.id");
        assertThat(reservedInIndia()).isEqualTo(before + 10);
        assertThat(reservations.releaseInOneBatch(List.of(a, "01JDNOSUCHRESERVATION0000", a, b, b)))
                .containsExactly(true, false, false, true, false);
        assertThat(reservedInIndia()).isEqualTo(before);
        Counters.assertMatchHolds(em);
        assertThat(reservations.releaseInOneBatch(List.of(a, b))).containsExactly(false, false);
    }

    /**
     * A reserving request bigger than the event loop's limit is parsed on a worker; it still belongs to
     * its caller: the same Idempotency-Key from another caller is another request.
     */
    @Test
    void aLargeReservingRequestShouldKeepItsCallersIdempotencyKey() {
        String body = meeting(400);
        assertThat(body.length()).isGreaterThan(16 * 1024);
        String key = "big-" + UUID.randomUUID();
        int before = reservedInIndia();
        String mine = reserve(body, key).getString("reservation.id");
        assertThat(reserve(body, key).getString("reservation.id")).isEqualTo(mine);
        String other = io.restassured.RestAssured.given().auth().oauth2(Tokens.claims(
                        io.meridian.security.Roles.MEETING_CLIENT).subject("another-client").sign())
                .contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/api/v1/routing-plans").then().statusCode(200).extract().jsonPath()
                .getString("reservation.id");
        assertThat(other).isNotEqualTo(mine);
        assertThat(reservedInIndia()).isEqualTo(before + 800);
        release(mine);
        release(other);
        assertThat(reservedInIndia()).isEqualTo(before);
    }

    @Test
    void plansWithoutReserveShouldHoldNothing() {
        int before = reservedInIndia();
        Tokens.asClient().contentType(ContentType.JSON).body(meeting(10).replace("\"reserve\": true", "\"reserve\": false"))
                .when().post("/api/v1/routing-plans").then().statusCode(200).body("reservation", equalTo(null));
        assertThat(reservedInIndia()).isEqualTo(before);
    }

    @Test
    void badIdempotencyKeysShouldBeRejected() {
        Tokens.asClient().contentType(ContentType.JSON).header("Idempotency-Key", "x".repeat(201)).body(meeting(1))
                .when().post("/api/v1/routing-plans").then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }
}
