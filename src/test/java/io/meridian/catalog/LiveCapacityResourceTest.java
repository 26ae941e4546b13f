package io.meridian.catalog;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Status and load reports. Each test uses its own data center and leaves it as it found it. */
@QuarkusTest
class LiveCapacityResourceTest {

    private static void status(String dc, String status, String reason) {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON)
                .body("{\"status\": \"" + status + "\", \"reason\": \"" + reason + "\"}")
                .when().put("/api/v1/data-centers/" + dc + "/status").then().statusCode(200);
    }

    private static void report(String dc, int load, Instant at) {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON)
                .body("{\"activeParticipants\": " + load + ", \"reportedAt\": \"" + at + "\"}")
                .when().post("/api/v1/data-centers/" + dc + "/load-reports").then().statusCode(202);
    }

    @Test
    void drainingAndDownSitesShouldBeExcludedWithTheirReason() {
        try {
            Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"status\": \"DRAINING\", \"reason\": \"maintenance\"}")
                    .when().put("/api/v1/data-centers/jp-osa/status").then().statusCode(200)
                    .body("status", equalTo("DRAINING"))
                    .body("statusReason", equalTo("maintenance"))
                    .body("statusChangedBy", equalTo("test-ops"))
                    .body("statusChangedAt", notNullValue());
            status("jp-tyo", "DOWN", "power");
            Tokens.asClient().contentType(ContentType.JSON)
                    .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"JP\"}}]}")
                    .when().post("/api/v1/routing-plans").then().statusCode(200)
                    .body("assignments[0].dataCenter", not(org.hamcrest.Matchers.startsWith("jp-")))
                    .body("excluded.find { it.dataCenter == 'jp-osa' }.reason", equalTo("DC_DRAINING"))
                    .body("excluded.find { it.dataCenter == 'jp-tyo' }.reason", equalTo("DC_DOWN"));
            Tokens.asClient().contentType(ContentType.JSON)
                    .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"JP\"}}], \"allowedRegions\": [\"JP\"]}")
                    .when().post("/api/v1/routing-plans").then().statusCode(503)
                    .body("type", endsWith("/problems/no-permitted-capacity"));
        } finally {
            status("jp-osa", "ACTIVE", "done");
            status("jp-tyo", "ACTIVE", "done");
        }
        Tokens.asClient().when().get("/api/v1/data-centers/jp-tyo").then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void loadReportsShouldShrinkHeadroomAndOlderReportsBeIgnored() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            report("ca-yvr", 1000, t);
            Tokens.asClient().when().get("/api/v1/data-centers/ca-yvr").then().statusCode(200)
                    .body("reportedLoad", equalTo(1000))
                    .body("headroom", equalTo(6800 - 1000))
                    .body("lastReportAt", equalTo(t.toString()));
            report("ca-yvr", 50, t.minusSeconds(60));
            Tokens.asClient().when().get("/api/v1/data-centers/ca-yvr").then().body("reportedLoad", equalTo(1000));
            // a full site is excluded as NO_HEADROOM
            report("ca-yvr", 7000, t.plusSeconds(1));
            Tokens.asClient().contentType(ContentType.JSON)
                    .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"CA\"}}]}")
                    .when().post("/api/v1/routing-plans").then().statusCode(200)
                    .body("excluded.find { it.dataCenter == 'ca-yvr' }.reason", equalTo("NO_HEADROOM"));
        } finally {
            report("ca-yvr", 0, t.plusSeconds(2));
        }
        Tokens.asClient().when().get("/api/v1/data-centers/ca-yvr").then().body("headroom", equalTo(6800));
    }

    @Test
    void badReportsAndStatusesShouldBeRejected() {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"activeParticipants\": -1}")
                .when().post("/api/v1/data-centers/la-mex/load-reports").then().statusCode(400)
                .body("errors[0].field", equalTo("activeParticipants"));
        Tokens.as(Roles.OPS).contentType(ContentType.JSON)
                .body("{\"activeParticipants\": 1, \"reportedAt\": \"" + Instant.now().plusSeconds(3600) + "\"}")
                .when().post("/api/v1/data-centers/la-mex/load-reports").then().statusCode(400)
                .body("errors[0].field", equalTo("reportedAt"));
        Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"activeParticipants\": 1, \"reportedAt\": \"yesterday\"}")
                .when().post("/api/v1/data-centers/la-mex/load-reports").then().statusCode(400);
        Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"status\": \"ASLEEP\"}")
                .when().put("/api/v1/data-centers/la-mex/status").then().statusCode(400)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("DRAINING"));
        Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"status\": \"DOWN\"}")
                .when().put("/api/v1/data-centers/xx-nope/status").then().statusCode(404);
        Tokens.asClient().contentType(ContentType.JSON).body("{\"status\": \"DOWN\"}")
                .when().put("/api/v1/data-centers/la-mex/status").then().statusCode(403);
        Tokens.asClient().when().get("/api/v1/data-centers/la-mex").then().body("status", equalTo("ACTIVE"));
    }
}
