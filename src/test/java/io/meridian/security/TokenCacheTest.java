package io.meridian.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The cache of verified tokens in the real authentication path. */
@QuarkusTest
class TokenCacheTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private double metric(String name) {
        String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aRepeatedTokenShouldBeServedFromTheCacheAndATamperedOneStillRefused() {
        String token = Tokens.token(Roles.MEETING_CLIENT);
        double hits = metric("meridian_token_cache_hits_total");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).when().get("/api/v1/regions").then().statusCode(200);
        }
        assertThat(metric("meridian_token_cache_hits_total") - hits).isGreaterThanOrEqualTo(2);
        // the same header and claims with another signature: not the cached text, verified, refused
        String[] parts = token.split("\\.");
        String otherSignature = Tokens.token(Roles.MEETING_CLIENT).split("\\.")[2];
        char last = parts[2].charAt(0) == 'A' ? 'B' : 'A';
        for (String forged : new String[] {parts[0] + "." + parts[1] + "." + otherSignature,
                parts[0] + "." + parts[1] + "." + last + parts[2].substring(1)}) {
            given().auth().oauth2(forged).when().get("/api/v1/regions").then().statusCode(401);
        }
        given().auth().oauth2(token).when().get("/api/v1/regions").then().statusCode(200);
    }

    @Test
    void anExpiredTokenShouldBeRefusedThoughItsTextWasNeverCached() {
        String expired = Tokens.claims(Roles.MEETING_CLIENT).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(expired).when().get("/api/v1/regions").then().statusCode(401);
        }
    }
}
