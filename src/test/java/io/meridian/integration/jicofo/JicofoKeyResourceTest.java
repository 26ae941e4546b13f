package io.meridian.integration.jicofo;

import io.meridian.integration.jicofo.JicofoClient.Bridge;
import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

/** Integration keys end to end: create, use, list without the secret, revoke; and where keys must never show. */
@QuarkusTest
class JicofoKeyResourceTest {

    @TestHTTPResource("/")
    URL root;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private final JicofoClient jicofo = new JicofoClient();

    private static String path(String account) {
        return "/api/v1/accounts/" + account + "/integrations/jicofo";
    }

    private static ExtractableResponse<Response> create(String account) {
        return Tokens.as(Roles.REGION_ADMIN, account).when().post(path(account)).then().statusCode(201)
                .contentType(ContentType.JSON).extract();
    }

    private URI url(ExtractableResponse<Response> created) {
        return URI.create(root.toString()).resolve(created.path("url").toString());
    }

    private static String keyOf(URI url) {
        return url.getPath().split("/")[5];
    }

    @Test
    void shouldCreateUseListAndRevokeAKey() throws Exception {
        String account = BridgeSelectionResourceTest.account();
        ExtractableResponse<Response> created = create(account);
        String id = created.path("id");
        URI url = url(created);
        String key = keyOf(url);

        assertThat(created.header("Location")).endsWith(path(account) + "/" + id);
        assertThat(created.path("url").toString()).matches("/api/v1/integrations/jicofo/[A-Za-z0-9_-]{43}/bridge-selection");
        assertThat(created.path("createdBy").toString()).isEqualTo("test-region-admin");
        assertThat(created.path("createdAt").toString()).isNotBlank();

        List<Bridge> bridges = List.of(Bridge.of("jvb-iad-3", "us-iad", 0.1));
        assertThat(jicofo.select(url, bridges, Map.of(), "us-iad").selectedIndex()).contains(0);

        String listing = Tokens.as(Roles.REGION_ADMIN, account).when().get(path(account)).then().statusCode(200)
                .extract().asString();
        JsonPath list = JsonPath.from(listing);
        assertThat(list.getList("id")).containsExactly(id);
        assertThat(list.getString("[0].lastUsedAt")).as("noted at once on this replica").isNotNull();
        assertThat(list.getMap("[0]")).containsOnlyKeys("id", "createdAt", "createdBy", "lastUsedAt");
        assertThat(listing).doesNotContain(key);

        Tokens.as(Roles.REGION_ADMIN, account).when().delete(path(account) + "/" + id).then().statusCode(204);

        JicofoClient.Answer revoked = jicofo.select(url, bridges, Map.of(), "us-iad");
        assertThat(revoked.status()).isEqualTo(404);
        assertThat(JsonPath.from(revoked.body()).getString("detail")).isEqualTo("No integration answers at this URL.");
        Tokens.as(Roles.REGION_ADMIN, account).when().delete(path(account) + "/" + id).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        Tokens.as(Roles.REGION_ADMIN, account).when().get(path(account)).then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void anotherAccountsKeyShouldNeverReachThisAccountsPolicy() throws Exception {
        String strict = BridgeSelectionResourceTest.account();
        String open = BridgeSelectionResourceTest.account();
        BridgeSelectionResourceTest.policy(strict, "{\"blockedRegions\": [\"EU\"]}");
        URI strictUrl = url(create(strict));
        URI openUrl = url(create(open));
        List<Bridge> europeOnly = List.of(Bridge.of("jvb-ams-5", "eu-ams", 0.0), Bridge.of("jvb-dub-5", "eu-dub", 0.1));

        assertThat(jicofo.select(openUrl, europeOnly, Map.of(), "eu-ams").selectedIndex()).contains(0);
        assertThat(jicofo.select(strictUrl, europeOnly, Map.of(), "eu-ams").status()).isEqualTo(503);
        assertThat(jicofo.select(openUrl, europeOnly, Map.of(), "eu-ams").selectedIndex()).contains(0);
    }

    @Test
    void onlyTheAccountsRegionAdminsShouldManageItsKeys() {
        String account = BridgeSelectionResourceTest.account();
        String id = create(account).path("id");

        Tokens.as(Roles.REGION_ADMIN, "someone-else").when().get(path(account)).then().statusCode(403);
        Tokens.as(Roles.REGION_ADMIN, "someone-else").when().post(path(account)).then().statusCode(403);
        Tokens.as(Roles.REGION_ADMIN, "someone-else").when().delete(path(account) + "/" + id).then().statusCode(403);
        Tokens.as(Roles.OPS).when().get(path(account)).then().statusCode(403);
        given().when().post(path(account)).then().statusCode(401);
        // a key id of another account is unknown here
        String other = BridgeSelectionResourceTest.account();
        Tokens.as(Roles.REGION_ADMIN, other).when().delete(path(other) + "/" + id).then().statusCode(404);
        Tokens.as(Roles.REGION_ADMIN, account).when().get(path("not valid!")).then().statusCode(400);
    }

    @Test
    void shouldLimitKeysPerAccount() {
        String account = BridgeSelectionResourceTest.account();
        for (int i = 0; i < 10; i++) {
            create(account);
        }
        Tokens.as(Roles.REGION_ADMIN, account).when().post(path(account)).then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/problems/integration-key-limit"));
    }

    /** Every log record written while {@code work} runs, formatted as a handler would. */
    private static List<String> logsDuring(ThrowingRunnable work) throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (record.getParameters() != null) {
                    message = message + " " + java.util.Arrays.toString(record.getParameters());
                }
                StringBuilder line = new StringBuilder(record.getLoggerName() + " " + message);
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t);
                }
                lines.add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger rootLogger = Logger.getLogger("");
        rootLogger.addHandler(capture);
        try {
            work.run();
        } finally {
            rootLogger.removeHandler(capture);
        }
        return lines;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aKeyShouldAppearInNoLogLineNoMetricAndNoProblem() throws Exception {
        String account = BridgeSelectionResourceTest.account();
        BridgeSelectionResourceTest.policy(account, "{\"blockedRegions\": [\"CN\"]}");
        ExtractableResponse<Response> created = create(account);
        URI url = url(created);
        String key = keyOf(url);
        List<String> answers = new ArrayList<>();

        List<String> lines = logsDuring(() -> {
            List<Bridge> bridges = List.of(Bridge.of("jvb-bom-8", "in-bom", 0.1));
            answers.add(jicofo.select(url, bridges, Map.of(), "in-bom").body());
            answers.add(jicofo.select(url, List.of(Bridge.of("jvb-sha-8", "cn-sha", 0.1)), Map.of(), null).body());
            answers.add(jicofo.send(url, "{\"bridges\": [").body());
            answers.add(jicofo.send(url, "{\"bridges\": []}").body());
            answers.add(given().when().get(url).then().extract().asString());
            answers.add(given().contentType(ContentType.TEXT).body("x").when().post(url).then().extract().asString());
            answers.add(given().contentType(ContentType.JSON).body("{}").when()
                    .post(url.toString().replace("/bridge-selection", "/elsewhere")).then().extract().asString());
            answers.add(given().contentType(ContentType.JSON).body("x".repeat(100)).when()
                    .post(url.toString().replace("/bridge-selection", "")).then().extract().asString());
            Tokens.as(Roles.REGION_ADMIN, account).when().delete(path(account) + "/" + created.path("id"))
                    .then().statusCode(204);
            answers.add(jicofo.select(url, bridges, Map.of(), "in-bom").body());
        });

        assertThat(lines).as("log lines written meanwhile").noneMatch(line -> line.contains(key));
        assertThat(answers).hasSize(9).noneMatch(answer -> answer.contains(key));
        String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).doesNotContain(key);
        assertThat(scrape).contains("uri=\"/api/v1/integrations/jicofo/{integrationKey}/bridge-selection\"")
                .containsPattern("meridian_jicofo_selections_total\\{outcome=\"ok\"} [1-9]")
                .containsPattern("meridian_jicofo_selections_total\\{outcome=\"no_permitted_capacity\"} [1-9]")
                .containsPattern("meridian_jicofo_selections_total\\{outcome=\"invalid\"} [1-9]")
                .containsPattern("meridian_jicofo_selections_total\\{outcome=\"unknown_key\"} [1-9]")
                .contains("meridian_jicofo_selections_total{outcome=\"rate_limited\"}")
                .containsPattern("meridian_jicofo_selection_seconds_count\\{outcome=\"ok\"} [1-9]")
                .containsPattern("meridian_jicofo_selection_seconds_bucket\\{outcome=\"ok\",le=\"0.001\"}");
    }
}
