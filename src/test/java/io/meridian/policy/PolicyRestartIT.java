package io.meridian.policy;

import io.meridian.PackagedService;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;

/** A stored policy survives a restart of the packaged service ({@link PackagedService}). */
class PolicyRestartIT {

    @Test
    void policiesShouldSurviveARestart() throws Exception {
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String account = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String token = issuer.token("ops-admin@example", Roles.REGION_ADMIN, account);
        int port = PackagedService.freePort();
        String path = "/api/v1/accounts/" + account + "/region-policy";

        try (PackagedService first = PackagedService.start(port, issuer)) {
            RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"blockedRegions\": [\"CN\"], \"allowedRegions\": [\"EU\", \"US\"], \"homeRegion\": \"EU\"}")
                    .when().put(first.url(path)).then().statusCode(200).header("ETag", "\"1\"");
        }
        try (PackagedService second = PackagedService.start(port, issuer)) {
            RestAssured.given().auth().oauth2(token).when().get(second.url(path)).then().statusCode(200)
                    .header("ETag", "\"1\"")
                    .body("blockedRegions", equalTo(List.of("CN")))
                    .body("allowedRegions", equalTo(List.of("EU", "US")))
                    .body("homeRegion", equalTo("EU"))
                    .body("updatedBy", equalTo("ops-admin@example"));
            RestAssured.given().auth().oauth2(token).when().get(second.url(path + "/history")).then().statusCode(200)
                    .body("action", equalTo(List.of("CREATE")));
        }
    }
}
