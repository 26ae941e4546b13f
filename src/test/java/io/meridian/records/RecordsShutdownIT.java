package io.meridian.records;

import io.meridian.PackagedService;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A clean shutdown loses no routing record. The packaged service ({@link PackagedService}) is told to
 * hold batches for an hour, so the records of the plans below are still pending when it is stopped
 * with SIGTERM: only the shutdown flush can have written them.
 */
class RecordsShutdownIT {

    static final int PLANS = 30;

    @Test
    void aCleanShutdownWritesEveryQueuedRecord() throws Exception {
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String account = "flush-" + UUID.randomUUID().toString().substring(0, 8);
        String client = issuer.token("app", Roles.MEETING_CLIENT);
        String ops = issuer.token("ops", Roles.OPS);
        int port = PackagedService.freePort();
        Map<String, String> holdBatches = Map.of("MERIDIAN_RECORDS_FLUSH_INTERVAL", "PT1H",
                "MERIDIAN_RECORDS_BATCH_SIZE", "100000");
        String body = "{\"accountId\": \"" + account + "\", \"meetingId\": \"standup\", \"participants\": ["
                + "{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}, {\"id\": \"b\", \"location\": {\"country\": \"US\"}}]}";

        try (PackagedService first = PackagedService.start(port, issuer, holdBatches)) {
            for (int i = 0; i < PLANS; i++) {
                RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON).body(body)
                        .when().post(first.url("/api/v1/routing-plans")).then().statusCode(200);
            }
            String metrics = RestAssured.given().header("Accept", "text/plain; version=0.0.4")
                    .when().get(first.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
            assertThat(metrics).as("the records are still pending when the service is stopped")
                    .contains("meridian_routing_records_pending " + PLANS + ".0");
        }
        try (PackagedService second = PackagedService.start(port, issuer)) {
            List<String> ids = RestAssured.given().auth().oauth2(ops)
                    .when().get(second.url("/api/v1/accounts/" + account + "/meetings/standup/routing-history"))
                    .then().statusCode(200).body("[0].participants", equalTo(2))
                    .extract().jsonPath().getList("planId", String.class);
            assertThat(ids).hasSize(PLANS).doesNotHaveDuplicates();
        }
    }
}
