package io.meridian.console;

import io.meridian.PackagedService;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The console in the packaged service (prod profile, PostgreSQL): configured for an OIDC provider,
 * served with that provider in its CSP, and without the development sign-in, which is not in the
 * production build at all.
 */
class ConsoleProductionIT {

    private static final String ISSUER = "https://login.example.com/realms/meridian";

    @Test
    void theProductionConsoleShouldOfferTheProviderAndNoDevelopmentSignIn() throws Exception {
        PackagedService.database();
        try (PackagedService service = PackagedService.start(PackagedService.freePort(), new PackagedService.Issuer(),
                Map.of("MERIDIAN_CONSOLE_OIDC_ISSUER", ISSUER, "MERIDIAN_CONSOLE_OIDC_SCOPES", "openid profile"))) {
            RestAssured.when().get(service.url("/console/")).then().statusCode(200)
                    .header("Content-Security-Policy", containsString("connect-src 'self' https://login.example.com;"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Referrer-Policy", "no-referrer")
                    .header("X-Content-Type-Options", "nosniff");
            RestAssured.when().get(service.url("/console/config")).then().statusCode(200)
                    .body("devSignIn", equalTo(false))
                    .body("oidc.issuer", equalTo(ISSUER))
                    .body("oidc.clientId", equalTo("meridian-console"))
                    .body("oidc.scopes", equalTo(List.of("openid", "profile")));
            RestAssured.given().contentType(ContentType.JSON).body("{\"roles\": [\"ops\"]}")
                    .when().post(service.url("/console/dev-sign-in")).then().statusCode(404);
            RestAssured.when().get(service.url("/console/dev-sign-in")).then().statusCode(404);
        }
    }

    @Test
    void anIssuerThatIsNoUrlShouldStopTheStartNamingTheSetting() throws Exception {
        PackagedService.database();
        assertThatThrownBy(() -> PackagedService.start(PackagedService.freePort(), new PackagedService.Issuer(),
                Map.of("MERIDIAN_CONSOLE_OIDC_ISSUER", "login.example.com")).close())
                .isInstanceOf(AssertionError.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("meridian.console.oidc.issuer"));
    }
}
