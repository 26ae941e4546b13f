package io.meridian.reservation;

import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reservations behind a lock that is not let go (another replica's session stuck with India's rows):
 * with a one-second lock timeout, every reserving request answers 503 temporarily-unavailable with
 * Retry-After within about a timeout per batch, never 500, and never waits out one timeout per request.
 */
@QuarkusTest
@TestProfile(ReservationLockTimeoutTest.ShortLockTimeout.class)
class ReservationLockTimeoutTest {

    public static class ShortLockTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.reservation.lock-timeout", "1s");
        }
    }

    static final int REQUESTS = 8;

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager em;

    @Test
    void reservationsBehindAStuckLockShouldAnswer503AtOnceAndWorkAgainAfter() throws Exception {
        List<String> india = Tokens.asClient().when().get("/api/v1/data-centers").then().extract().jsonPath()
                .getList("findAll { it.region == 'IN' }.id");
        int before = ReservationResourceTest.reservedInIndia();
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        List<Future<Response>> answers = new ArrayList<>();
        long millis;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select data_center_id from data_center_state "
                    + "where data_center_id in (" + String.join(",", Collections.nCopies(india.size(), "?"))
                    + ") for update")) {
                for (int i = 0; i < india.size(); i++) {
                    lock.setString(i + 1, india.get(i));
                }
                lock.executeQuery().close();
            }
            long start = System.nanoTime();
            for (int i = 0; i < REQUESTS; i++) {
                answers.add(pool.submit(() -> Tokens.asClient().contentType(ContentType.JSON)
                        .body(ReservationResourceTest.meeting(2)).when().post("/api/v1/routing-plans")));
            }
            for (Future<Response> answer : answers) {
                Response r = answer.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.jsonPath().getString("type")).endsWith("/problems/temporarily-unavailable");
                assertThat(r.header("Retry-After")).isEqualTo("1");
            }
            millis = (System.nanoTime() - start) / 1_000_000;
            other.rollback();
        } finally {
            pool.shutdownNow();
        }
        // one timeout for the first batch, one for the rest queued behind it; one timeout per request
        // (a failed batch retried job by job) would take REQUESTS seconds
        assertThat(millis).as("ms until all %d requests were answered", REQUESTS).isLessThan((REQUESTS - 2) * 1000L);
        assertThat(ReservationResourceTest.reservedInIndia()).isEqualTo(before);
        String id = ReservationResourceTest.reserve(ReservationResourceTest.meeting(2), null).getString("reservation.id");
        ReservationResourceTest.release(id);
        Counters.assertMatchHolds(em);
    }
}
