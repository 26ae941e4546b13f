package io.meridian.integration.jicofo;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Unknown keys from one address are limited; in an application of its own, so no other test is refused. */
@QuarkusTest
@TestProfile(JicofoRateLimitTest.SmallBudget.class)
class JicofoRateLimitTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.integration-keys.failed-attempts.burst", "3",
                    "meridian.integration-keys.failed-attempts.per-minute", "6");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void shouldRefuseUnknownKeysFromAnAddressThatTriedTooManyButServeItsValidKey() throws Exception {
        String account = "jicofo-limit";
        String valid = Tokens.as(Roles.REGION_ADMIN, account).when()
                .post("/api/v1/accounts/" + account + "/integrations/jicofo").then().statusCode(201)
                .extract().path("url");
        JicofoClient jicofo = new JicofoClient();
        String body = JicofoClient.body(List.of(JicofoClient.Bridge.of("jvb-1", "eu-fra", 0.1)), Map.of(), null, null);
        URI base = URI.create(root.toString());
        assertThat(jicofo.send(base.resolve(valid), body).status()).isEqualTo(200);

        for (int i = 0; i < 3; i++) {
            String guess = String.format("%043d", i);
            assertThat(jicofo.send(base.resolve("/api/v1/integrations/jicofo/" + guess + "/bridge-selection"), body)
                    .status()).isEqualTo(404);
        }
        JicofoClient.Answer refused = jicofo.send(base.resolve("/api/v1/integrations/jicofo/"
                + "0".repeat(43) + "/bridge-selection"), body);
        JicofoClient.Answer stillValid = jicofo.send(base.resolve(valid), body);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(JsonPath.from(refused.body()).getString("type")).endsWith("/problems/too-many-requests");
        assertThat(refused.body()).doesNotContain("0".repeat(43));
        assertThat(stillValid.status()).as("a valid key proves possession: never locked out").isEqualTo(200);
    }
}
