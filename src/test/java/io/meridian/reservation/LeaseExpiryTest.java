package io.meridian.reservation;

import io.meridian.catalog.CapacityStore;
import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** With a one-second lease and a one-minute report TTL. */
@QuarkusTest
@TestProfile(LeaseExpiryTest.ShortLease.class)
class LeaseExpiryTest {

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.reservation.lease", "PT1S", "meridian.capacity.report-ttl", "PT1M");
        }
    }

    private static void report(String dc, Instant at) {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"activeParticipants\": 0, \"reportedAt\": \"" + at + "\"}")
                .when().post("/api/v1/data-centers/" + dc + "/load-reports").then().statusCode(202);
    }

    @Test
    void expiredLeasesShouldStopCountingWithoutAnyoneAsking() throws Exception {
        report("sg-sin", Instant.now());
        String id = Tokens.asClient().contentType(ContentType.JSON)
                .body("{\"allowedRegions\": [\"SG\"], \"reserve\": true, \"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"SG\"}}]}")
                .when().post("/api/v1/routing-plans").then().statusCode(200).extract().path("reservation.id");
        Tokens.asClient().when().get("/api/v1/data-centers/sg-sin").then().body("reserved", equalTo(1));
        // bounded wait for the one-second lease to run out, then for the snapshot (refreshed every second)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int reserved = 1;
        while (reserved != 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            reserved = Tokens.asClient().when().get("/api/v1/data-centers/sg-sin").then().extract().path("reserved");
        }
        assertThat(reserved).as("reserved after the lease ran out").isZero();
        Tokens.asClient().when().put("/api/v1/reservations/" + id + "/lease").then().statusCode(404);
        Tokens.asClient().when().delete("/api/v1/reservations/" + id).then().statusCode(404);
        // the reserving path, too, stops counting the expired hold before the cleanup job deletes it
        int held = QuarkusTransaction.requiringNew().call(() ->
                store.lock(List.of("sg-sin"), Instant.now()).reserved().get("sg-sin"));
        assertThat(held).isZero();
        Counters.assertMatchHolds(em);
        reservations.removeExpired();
        Counters.assertMatchHolds(em);
    }

    @Test
    void aDriftedCounterIsSetBackToTheSumOfHolds() {
        // what a replica of an older version, unaware of the counter, would leave behind
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update data_center_state set reserved = reserved + 7 where data_center_id = 'jp-tyo'").executeUpdate());
        reservations.removeExpired();
        Counters.assertMatchHolds(em);
    }

    @Inject
    CapacityStore store;

    @Inject
    ReservationService reservations;

    @Inject
    EntityManager em;

    @Test
    void staleOrMissingLoadReportsShouldExcludeTheSite() {
        report("sg-sin", Instant.now());
        report("hk-hkg", Instant.now().minusSeconds(600));
        Tokens.asClient().contentType(ContentType.JSON)
                .body("{\"allowedRegions\": [\"SG\", \"HK\", \"AU\"], \"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"HK\"}}]}")
                .when().post("/api/v1/routing-plans").then().statusCode(200)
                .body("assignments[0].dataCenter", equalTo("sg-sin"))
                .body("excluded.find { it.dataCenter == 'hk-hkg' }.reason", equalTo("STALE_LOAD_REPORT"))
                .body("excluded.find { it.dataCenter == 'au-syd' }.reason", equalTo("STALE_LOAD_REPORT"));
        Tokens.asClient().when().get("/api/v1/data-centers/hk-hkg").then().body("stale", equalTo(true));
        Tokens.asClient().contentType(ContentType.JSON)
                .body("{\"allowedRegions\": [\"HK\"], \"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"HK\"}}]}")
                .when().post("/api/v1/routing-plans").then().statusCode(503);
    }
}
