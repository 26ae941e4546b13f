package io.meridian.console;

import io.meridian.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The console's own endpoints in the test build: files, headers, config and the development sign-in. */
@QuarkusTest
class ConsoleResourceTest {

    @Test
    void everyConsoleResponseShouldCarryTheStrictHeaders() {
        for (String path : List.of("/console/", "/console/index.html", "/console/js/app.js", "/console/css/console.css",
                "/console/data/world-110m.geo.json", "/console/config", "/console/no-such-file")) {
            ValidatableResponse response = RestAssured.given().redirects().follow(false).when().get(path).then();
            response.header("Content-Security-Policy", startsWith("default-src 'none'; script-src 'self'; style-src 'self'"))
                    .header("Content-Security-Policy", containsString("connect-src 'self';"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", containsString("require-trusted-types-for 'script'"))
                    .header("Content-Security-Policy", not(containsString("unsafe")))
                    .header("Referrer-Policy", "no-referrer")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY");
        }
    }

    @Test
    void theConsoleShouldBeServedFromTheService() {
        RestAssured.given().redirects().follow(false).when().get("/console").then().statusCode(302)
                .header("Location", "/console/");
        RestAssured.when().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"js/app.js\"></script>"));
        RestAssured.when().get("/console/js/app.js").then().statusCode(200).contentType(containsString("javascript"));
        RestAssured.when().get("/console/data/world-110m.geo.json").then().statusCode(200)
                .body("source", containsString("Natural Earth"));
    }

    @Test
    void configShouldSayThereIsADevelopmentSignInAndNoProvider() {
        RestAssured.when().get("/console/config").then().statusCode(200)
                .body("devSignIn", equalTo(true))
                .body("oidc", nullValue())
                .body("refreshIntervalMillis", equalTo(5000));
    }

    @Test
    void aDevelopmentTokenShouldBeAcceptedByTheApiWithItsRolesAndAccounts() {
        String account = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String token = signIn("{\"subject\": \"dev-carla\", \"roles\": [\"region-admin\"], \"accounts\": [\"" + account + "\"]}")
                .statusCode(200)
                .body("subject", equalTo("dev-carla"))
                .body("roles", equalTo(List.of(Roles.REGION_ADMIN)))
                .body("accounts", equalTo(List.of(account)))
                .body("expiresAt", notNullValue())
                .extract().path("token");
        RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"blockedRegions\": [\"CN\"]}")
                .when().put("/api/v1/accounts/" + account + "/region-policy").then().statusCode(200)
                .body("updatedBy", equalTo("dev-carla"));
        RestAssured.given().auth().oauth2(token).when().get("/api/v1/accounts/someone-else/region-policy").then()
                .statusCode(403);
        RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"status\": \"DRAINING\"}")
                .when().put("/api/v1/data-centers/eu-fra/status").then().statusCode(403);
    }

    @Test
    void badSignInRequestsShouldBeAnswered400WithTheField() {
        signIn("{\"roles\": []}").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("roles"));
        signIn("{\"roles\": [\"root\"]}").statusCode(400).body("errors.field", hasItem("roles[0]"));
        signIn("{\"roles\": [\"ops\"], \"accounts\": [\"a b\"]}").statusCode(400).body("errors.field", hasItem("accounts[0]"));
        signIn("{\"subject\": \"<script>\", \"roles\": [\"ops\"]}").statusCode(400).body("errors.field", hasItem("subject"));
        signIn("{\"roles\": [\"ops\"").statusCode(400).contentType("application/problem+json");
        signIn("[]").statusCode(400).contentType("application/problem+json");
        RestAssured.given().contentType(ContentType.JSON).when().post("/console/dev-sign-in").then().statusCode(400);
        String many = String.join(",", java.util.Collections.nCopies(DevSignInResource.MAX_ACCOUNTS + 1, "\"a\""));
        signIn("{\"roles\": [\"ops\"], \"accounts\": [" + many + "]}").statusCode(400).body("errors.field", hasItem("accounts"));
    }

    @Test
    void theConsoleShouldNotBeInTheApiDocument() {
        String document = RestAssured.given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().asString();
        assertThat(document).doesNotContain("/console");
    }

    private static ValidatableResponse signIn(String body) {
        return RestAssured.given().contentType(ContentType.JSON).body(body).when().post("/console/dev-sign-in").then();
    }
}
