package io.meridian;

import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives every kind of traffic through the packaged service, then writes its Prometheus scrape to
 * {@code target/metrics-scrape.txt} for {@code deploy/ci-checks.sh} (promtool, and the check that
 * the alerts and dashboard only use metrics the service exports).
 */
class MetricsScrapeIT {

    @Test
    void scrapeAfterTraffic() throws Exception {
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String client = issuer.token("scrape-client", Roles.MEETING_CLIENT);
        String ops = issuer.token("scrape-ops", Roles.OPS);
        String admin = issuer.token("scrape-admin", Roles.REGION_ADMIN, "scrape-acct");
        try (PackagedService service = PackagedService.start(PackagedService.freePort(), issuer)) {
            String plans = service.url("/api/v1/routing-plans");
            for (String strategy : new String[]{"AUTO", "SINGLE", "CASCADE"}) {
                RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON)
                        .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}, "
                                + "{\"id\": \"b\", \"location\": {\"country\": \"JP\"}}], \"blockedRegions\": [\"CN\"], "
                                + "\"strategy\": \"" + strategy + "\"}")
                        .when().post(plans).then().statusCode(200);
            }
            RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON).body("{").when().post(plans)
                    .then().statusCode(400);
            RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON)
                    .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}], \"allowedRegions\": []}")
                    .when().post(plans).then().statusCode(422);
            String reservation = RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON)
                    .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"BR\"}}], \"reserve\": true}")
                    .when().post(plans).then().statusCode(200).extract().path("reservation.id");
            RestAssured.given().auth().oauth2(ops).contentType(ContentType.JSON)
                    .body("{\"activeParticipants\": 10, \"reportedAt\": \"" + Instant.now() + "\"}")
                    .when().post(service.url("/api/v1/data-centers/la-gru/load-reports")).then().statusCode(202);
            RestAssured.given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"blockedRegions\": [\"CN\"]}")
                    .when().put(service.url("/api/v1/accounts/scrape-acct/region-policy")).then().statusCode(200);
            String meeting = RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON)
                    .body("{\"meetingId\": \"scrape-meeting\"}").when().post(service.url("/api/v1/meetings")).then()
                    .statusCode(201).extract().path("id");
            RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON)
                    .body("{\"id\": \"a\", \"location\": {\"country\": \"BR\"}}")
                    .when().post(service.url("/api/v1/meetings/" + meeting + "/participants")).then().statusCode(201);
            String scrape = RestAssured.given().header("Accept", "text/plain; version=0.0.4")
                    .when().get(service.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
            RestAssured.given().auth().oauth2(client).when().delete(service.url("/api/v1/reservations/" + reservation))
                    .then().statusCode(204);
            RestAssured.given().auth().oauth2(client).when().delete(service.url("/api/v1/meetings/" + meeting))
                    .then().statusCode(204);
            assertThat(scrape).contains("meridian_meeting_joins_total", "meridian_live_participants",
                    "meridian_meeting_join_seconds_bucket", "meridian_live_meetings", "meridian_meeting_batch_seconds_count",
                    "meridian_meeting_batch_jobs_sum");
            assertThat(scrape).contains("meridian_routing_plans_total", "meridian_reserved_participants",
                    "meridian_data_center_load_report_age_seconds", "meridian_region_policy_changes_total",
                    "meridian_transparency_tree_head_age_seconds", "meridian_transparency_self_check_failed");
            Files.writeString(Path.of("target/metrics-scrape.txt"), scrape);
        }
    }
}
