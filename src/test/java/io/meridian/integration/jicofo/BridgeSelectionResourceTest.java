package io.meridian.integration.jicofo;

import io.meridian.integration.jicofo.JicofoClient.Bridge;
import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jicofo endpoint as Jicofo calls it: bodies made with json-simple, sent with a default
 * {@link HttpClient}, answers read as the pull request's client reads them. Each test uses accounts
 * of its own and data centers no other test changes.
 */
@QuarkusTest
class BridgeSelectionResourceTest {

    @TestHTTPResource("/")
    URL root;

    private final JicofoClient jicofo = new JicofoClient();

    static String account() {
        return "jicofo-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new key of the account, as its selection URL. */
    URI keyUrl(String account) {
        String url = Tokens.as(Roles.REGION_ADMIN, account).when()
                .post("/api/v1/accounts/" + account + "/integrations/jicofo").then().statusCode(201)
                .extract().path("url");
        return URI.create(root.toString()).resolve(url);
    }

    static void policy(String account, String body) {
        Tokens.as(Roles.REGION_ADMIN, account).contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/accounts/" + account + "/region-policy").then().statusCode(200);
    }

    static final Bridge SHA = Bridge.of("jvb-sha-1", "cn-sha", 0.05);
    static final Bridge HKG = Bridge.of("jvb-hkg-1", "hk-hkg", 0.45);
    static final Bridge FRA = Bridge.of("jvb-fra-1", "eu-fra", 0.55);
    static final Bridge NYC = Bridge.of("jvb-nyc-1", "us-nyc", 0.25);
    static final Bridge MOON = Bridge.of("jvb-moon-1", "moon-1", 0.0);

    @Test
    void aConferenceOfThirtyJoinsShouldNeverUseTheBlockedRegionEvenWhenItHoldsTheOnlyUnstressedBridge()
            throws Exception {
        String account = account();
        policy(account, "{\"blockedRegions\": [\"CN\"]}");
        URI url = keyUrl(account);
        List<Bridge> bridges = new ArrayList<>(List.of(SHA, HKG, FRA, NYC, MOON));
        Map<String, Integer> conference = new LinkedHashMap<>();
        String[] regions = {"cn-sha", "hk-hkg", "eu-fra", "us-nyc", null, "atlantis"};
        int selected = 0;
        int refused = 0;
        for (int join = 0; join < 30; join++) {
            JicofoClient.Answer answer = jicofo.select(url, bridges, conference, regions[join % regions.length]);
            if (answer.status() == 200) {
                int index = answer.selectedIndex().orElseThrow();
                assertThat(index).as("join %d: never Shanghai, never the unmapped bridge", join).isIn(1, 2, 3);
                Bridge chosen = bridges.get(index);
                // Jicofo adds the participant: the bridge's stress grows by 0.1 per participant here
                bridges.set(index, chosen.withStress(chosen.stress() + 0.1));
                conference.merge(chosen.jid(), 1, Integer::sum);
                selected++;
            } else {
                assertThat(answer.status()).as("join %d: %s", join, answer.body()).isEqualTo(503);
                assertThat(answer.selectedIndex()).isEmpty();
                JsonPath problem = JsonPath.from(answer.body());
                assertThat(problem.getString("type")).endsWith("/problems/no-permitted-capacity");
                assertThat(problem.getString("detail")).contains("1 in a region the account blocks")
                        .contains("at or above the stress threshold 0.8")
                        .contains("1 in a region that maps to no data center");
                refused++;
            }
        }
        // Hong Kong takes 4 participants (0.45 to 0.75), Frankfurt 3, New York 6: then only Shanghai,
        // blocked, and the unmapped bridge are below the threshold, and every join is refused
        assertThat(selected).isEqualTo(13);
        assertThat(refused).isEqualTo(17);
        assertThat(bridges.get(0).stress()).isEqualTo(0.05);
        assertThat(conference).containsOnlyKeys(HKG.jid(), FRA.jid(), NYC.jid());
    }

    @Test
    void shouldAnswerWithTheIndexTheDataCenterAndTheReason() throws Exception {
        URI url = keyUrl(account());
        JicofoClient.Answer answer = jicofo.select(url, List.of(FRA, Bridge.of("jvb-bom-1", "in-bom", 0.3)),
                Map.of(), "in-bom");

        assertThat(answer.status()).isEqualTo(200);
        JsonPath body = JsonPath.from(answer.body());
        assertThat(body.getInt("selected_bridge_index")).isEqualTo(1);
        assertThat(body.getString("dataCenter")).isEqualTo("in-bom");
        assertThat(body.getString("region")).isEqualTo("IN");
        assertThat(body.getString("reason")).isEqualTo("CLOSEST_DATA_CENTER");
    }

    @Test
    void theDocumentedExamplesShouldBeRealAnswers() throws Exception {
        String account = account();
        policy(account, "{\"blockedRegions\": [\"CN\"]}");
        URI url = keyUrl(account);

        JicofoClient.Answer answer = jicofo.send(url, JicofoExamples.REQUEST);
        JicofoClient.Answer refused = jicofo.select(url, List.of(SHA, FRA.withStress(0.9)), Map.of(), "cn-sha");

        assertThat(JsonPath.from(answer.body()).getMap("")).isEqualTo(JsonPath.from(JicofoExamples.ANSWER).getMap(""));
        assertThat(JsonPath.from(refused.body()).getMap(""))
                .isEqualTo(JsonPath.from(JicofoExamples.PROBLEM_NO_BRIDGE).getMap(""));
    }

    @Test
    void shouldHonourTheStressThreshold() throws Exception {
        URI url = keyUrl(account());
        List<Bridge> bridges = List.of(Bridge.of("jvb-ams-1", "eu-ams", 0.8), Bridge.of("jvb-dub-1", "eu-dub", 0.79),
                Bridge.of("jvb-ams-2", "eu-ams", 3.5));

        assertThat(jicofo.select(url, bridges, Map.of(), "eu-ams").selectedIndex()).contains(1);
    }

    @Test
    void shouldReuseAConferenceBridgeWhenItsDataCenterIsCloseEnough() throws Exception {
        URI url = keyUrl(account());
        Bridge fra = Bridge.of("jvb-fra-2", "eu-fra", 0.5);
        Bridge ams = Bridge.of("jvb-ams-3", "eu-ams", 0.0);
        Bridge bom = Bridge.of("jvb-bom-2", "in-bom", 0.2);
        List<Bridge> bridges = List.of(fra, ams, bom);
        Map<String, Integer> conference = Map.of(fra.jid(), 4);

        JicofoClient.Answer near = jicofo.select(url, bridges, conference, "eu-ams");
        JicofoClient.Answer far = jicofo.select(url, bridges, conference, "in-bom");

        assertThat(near.selectedIndex()).as("Frankfurt is a few ms from Amsterdam: stay").contains(0);
        assertThat(JsonPath.from(near.body()).getString("reason")).isEqualTo("CONFERENCE_BRIDGE");
        assertThat(far.selectedIndex()).as("Frankfurt is far from Mumbai: a bridge in Mumbai").contains(2);
    }

    @Test
    void shouldAnswer503WhenNothingIsPermitted() throws Exception {
        String account = account();
        policy(account, "{\"blockedRegions\": [\"CN\", \"HK\"], \"allowedRegions\": [\"US\", \"EU\"]}");
        URI url = keyUrl(account);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString(JicofoClient.body(List.of(SHA, HKG,
                        Bridge.of("jvb-bom-3", "in-bom", 0.0), FRA.withState(false, false, false),
                        NYC.withState(true, true, false), Bridge.of("jvb-iad-1", "us-iad", 0.0).withState(true, false, true)),
                        Map.of(), "us-iad", "RegionBasedBridgeSelectionStrategy")))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonPath problem = JsonPath.from(response.body());
        assertThat(problem.getString("type")).endsWith("/problems/no-permitted-capacity");
        assertThat(problem.getInt("unroutableParticipants")).isEqualTo(1);
        assertThat(problem.getString("detail")).contains("2 in a region the account blocks", "1 in a region the "
                + "account does not allow", "1 not operational", "1 in graceful shutdown", "1 draining");
        assertThat(problem.getString("instance")).isEqualTo(
                "/api/v1/integrations/jicofo/{integrationKey}/bridge-selection");
    }

    @Test
    void shouldNeverSelectAnUnmappedBridgeUnderAPolicyAndOnlyAsALastResortWithoutOne() throws Exception {
        String restricted = account();
        policy(restricted, "{\"blockedRegions\": [\"CN\"]}");
        URI withPolicy = keyUrl(restricted);
        URI withoutPolicy = keyUrl(account());

        assertThat(jicofo.select(withPolicy, List.of(MOON, Bridge.of("jvb-null", null, 0.0)), Map.of(), "moon-1")
                .status()).isEqualTo(503);
        assertThat(jicofo.select(withoutPolicy, List.of(MOON, NYC), Map.of(), null).selectedIndex()).contains(1);
        JicofoClient.Answer unmapped = jicofo.select(withoutPolicy, List.of(MOON, NYC.withStress(0.9)), Map.of(), null);
        assertThat(unmapped.selectedIndex()).contains(0);
        assertThat(JsonPath.from(unmapped.body()).getString("reason")).isEqualTo("UNMAPPED_REGION");
        assertThat(JsonPath.from(unmapped.body()).getString("dataCenter")).isNull();
    }

    @Test
    void shouldSkipBridgesOfADataCenterThatIsDown() throws Exception {
        URI url = keyUrl(account());
        List<Bridge> bridges = List.of(Bridge.of("jvb-mel-1", "au-mel", 0.0), Bridge.of("jvb-syd-1", "au-syd", 0.7));
        try {
            Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"status\": \"DOWN\", \"reason\": \"jicofo test\"}")
                    .when().put("/api/v1/data-centers/au-mel/status").then().statusCode(200);
            assertThat(jicofo.select(url, bridges, Map.of(), "au-mel").selectedIndex()).contains(1);
        } finally {
            Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"status\": \"ACTIVE\", \"reason\": \"done\"}")
                    .when().put("/api/v1/data-centers/au-mel/status").then().statusCode(200);
        }
        assertThat(jicofo.select(url, bridges, Map.of(), "au-mel").selectedIndex()).contains(0);
    }

    @Test
    void shouldIgnoreFieldsItDoesNotKnowAndAcceptTheClientsEscapes() throws Exception {
        URI url = keyUrl(account());
        String body = "{\"bridges\":[{\"jid\":\"jvb@x\\/a\",\"region\":\"eu-fra\",\"stress\":0,\"operational\":true,"
                + "\"graceful_shutdown\":false,\"draining\":false,\"future\":{\"nested\":[1,2]}}],"
                + "\"conference_bridges\":{\"jvb@x/a\":1},\"participant_region\":\"eu-fra\",\"visitor\":true}";

        JicofoClient.Answer answer = jicofo.send(url, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(JsonPath.from(answer.body()).getString("reason")).isEqualTo("CONFERENCE_BRIDGE");
    }

    static Stream<Arguments> malformed() {
        String ok = "{\"jid\":\"a\",\"region\":\"eu-fra\",\"stress\":0.1,\"operational\":true,"
                + "\"graceful_shutdown\":false,\"draining\":false}";
        return Stream.of(
                Arguments.of("an empty body", "", "body"),
                Arguments.of("not JSON", "{\"bridges\": [", "body"),
                Arguments.of("a NaN stress as a bare token", "{\"bridges\":[" + ok.replace("0.1", "NaN") + "]}", "body"),
                Arguments.of("an infinite stress as a bare token", "{\"bridges\":[" + ok.replace("0.1", "Infinity")
                        + "]}", "body"),
                Arguments.of("a NaN stress as json-simple writes it", JicofoClient.body(List.of(
                        FRA.withStress(Double.NaN)), Map.of(), null, null), "bridges[0].stress"),
                Arguments.of("a stress too large for a double", "{\"bridges\":[" + ok.replace("0.1", "1e999") + "]}",
                        "bridges[0].stress"),
                Arguments.of("a negative stress", "{\"bridges\":[" + ok.replace("0.1", "-0.1") + "]}",
                        "bridges[0].stress"),
                Arguments.of("a stress as a string", "{\"bridges\":[" + ok.replace("0.1", "\"0.1\"") + "]}",
                        "bridges[0].stress"),
                Arguments.of("operational as a string", "{\"bridges\":[" + ok.replace("\"operational\":true",
                        "\"operational\":\"yes\"") + "]}", "bridges[0].operational"),
                Arguments.of("no operational", "{\"bridges\":[" + ok.replace("\"operational\":true,", "") + "]}",
                        "bridges[0].operational"),
                Arguments.of("a jid as a number", "{\"bridges\":[" + ok.replace("\"a\"", "7") + "]}", "bridges[0].jid"),
                Arguments.of("no jid", "{\"bridges\":[" + ok.replace("\"jid\":\"a\",", "") + "]}", "bridges[0].jid"),
                Arguments.of("a region as an object", "{\"bridges\":[" + ok.replace("\"eu-fra\"", "{}") + "]}",
                        "bridges[0].region"),
                Arguments.of("no bridges", "{\"conference_bridges\":{}}", "bridges"),
                Arguments.of("null bridges", "{\"bridges\":null}", "bridges"),
                Arguments.of("an empty bridges list", "{\"bridges\":[]}", "bridges"),
                Arguments.of("bridges as an object", "{\"bridges\":{}}", "bridges"),
                Arguments.of("a bridge that is a string", "{\"bridges\":[\"jvb\"]}", "bridges[0]"),
                Arguments.of("a conference bridge not among the bridges", "{\"bridges\":[" + ok
                        + "],\"conference_bridges\":{\"b\":2}}", "conference_bridges.b"),
                Arguments.of("a conference bridge listed twice", "{\"bridges\":[" + ok + "," + ok
                        + "],\"conference_bridges\":{\"a\":2}}", "bridges"),
                Arguments.of("a participant count as a string", "{\"bridges\":[" + ok
                        + "],\"conference_bridges\":{\"a\":\"2\"}}", "conference_bridges.a"),
                Arguments.of("a negative participant count", "{\"bridges\":[" + ok
                        + "],\"conference_bridges\":{\"a\":-1}}", "conference_bridges.a"),
                Arguments.of("conference_bridges as a list", "{\"bridges\":[" + ok + "],\"conference_bridges\":[]}",
                        "conference_bridges"),
                Arguments.of("a participant region as a number", "{\"bridges\":[" + ok
                        + "],\"participant_region\":3}", "participant_region"),
                Arguments.of("an array", "[" + ok + "]", "body"),
                Arguments.of("content after the object", "{\"bridges\":[" + ok + "]} {}", "body"),
                Arguments.of("a duplicate key", "{\"bridges\":[" + ok + "],\"bridges\":[" + ok + "]}", "body"));
    }

    @ParameterizedTest(name = "{0}: 400")
    @MethodSource("malformed")
    void shouldAnswer400ProblemForAMalformedBody(String what, String body, String field) throws Exception {
        URI url = keyUrl(account());

        JicofoClient.Answer answer = jicofo.send(url, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.selectedIndex()).isEmpty();
        JsonPath problem = JsonPath.from(answer.body());
        assertThat(problem.getString("type")).endsWith("/problems/invalid-request");
        assertThat(problem.getList("errors.field", String.class)).contains(field);
        assertThat(problem.getString("instance")).doesNotContain(url.getPath().split("/")[5]);
    }

    @Test
    void shouldAnswer1000BridgesAndRejectMoreThanTheLimit() throws Exception {
        URI url = keyUrl(account());
        List<Bridge> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(Bridge.of("jvb-" + i, i % 2 == 0 ? "eu-fra" : "us-nyc", 0.5 + (i % 97) / 1000.0));
        }
        many.set(777, many.get(777).withStress(0.01));
        // the conference's bridges are in Frankfurt, far from New York: the least stressed New York bridge
        Map<String, Integer> conference = Map.of(many.get(500).jid(), 2, many.get(502).jid(), 1);

        assertThat(jicofo.select(url, many, conference, "us-nyc").selectedIndex()).contains(777);
        List<Bridge> tooMany = new ArrayList<>();
        for (int i = 0; i <= SelectionRequest.MAX_BRIDGES; i++) {
            tooMany.add(Bridge.of("b" + i, "eu-fra", 0.1));
        }
        assertThat(jicofo.select(url, tooMany, Map.of(), null).status()).isEqualTo(400);
    }

    @Test
    void shouldAnswer404WithoutAHintForUnknownMalformedAndOtherIntegrationsKeys() throws Exception {
        String body = JicofoClient.body(List.of(FRA), Map.of(), null, null);
        String validButUnknown = "A".repeat(43);
        List<String> answers = new ArrayList<>();
        for (String key : List.of(validButUnknown, "short", "A".repeat(42) + "*")) {
            JicofoClient.Answer answer = jicofo.send(URI.create(root.toString())
                    .resolve("/api/v1/integrations/jicofo/" + key + "/bridge-selection"), body);
            assertThat(answer.status()).isEqualTo(404);
            answers.add(answer.body());
        }
        assertThat(answers).allSatisfy(a -> {
            assertThat(JsonPath.from(a).getString("type")).endsWith("/problems/not-found");
            assertThat(JsonPath.from(a).getString("detail")).isEqualTo("No integration answers at this URL.");
            assertThat(a).doesNotContain(validButUnknown).doesNotContain("short");
        });
    }

    @Test
    void shouldAnswerThroughAnH2cUpgradeAndOverPlainHttp11() throws Exception {
        URI url = keyUrl(account());
        String body = JicofoClient.body(List.of(FRA), Map.of(), "eu-fra", null);
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient client = HttpClient.newBuilder().version(version).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(url)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(version + " " + response.body()).isEqualTo(200);
                assertThat(JsonPath.from(response.body()).getInt("selected_bridge_index")).isZero();
            }
        }
    }

    @Test
    void shouldRejectOtherMethodsAndMediaTypesWithoutShowingTheKey() throws Exception {
        URI url = keyUrl(account());
        String key = url.getPath().split("/")[5];

        String get = given().when().get(url).then().statusCode(405).contentType("application/problem+json")
                .extract().asString();
        String text = given().contentType(ContentType.TEXT).body("{}").when().post(url).then().statusCode(415)
                .contentType("application/problem+json").extract().asString();

        assertThat(get).doesNotContain(key);
        assertThat(text).doesNotContain(key);
    }

    @Test
    void shouldRecordSelectionsForTheAccountsTrafficReport() throws Exception {
        String account = account();
        URI url = keyUrl(account);
        Instant from = Instant.now().minus(1, ChronoUnit.MINUTES);
        Bridge ams = Bridge.of("jvb-ams-9", "eu-ams", 0.1);
        Bridge nyc = Bridge.of("jvb-nyc-9", "us-nyc", 0.1);
        // a conference opened in Amsterdam, then joins from New York and Amsterdam
        assertThat(jicofo.select(url, List.of(ams, nyc), Map.of(), "eu-ams").selectedIndex()).contains(0);
        assertThat(jicofo.select(url, List.of(ams, nyc), Map.of(ams.jid(), 1), "us-nyc").selectedIndex()).contains(1);
        assertThat(jicofo.select(url, List.of(ams, nyc), Map.of(ams.jid(), 1, nyc.jid(), 1), "eu-ams")
                .selectedIndex()).contains(0);

        JsonPath report = Tokens.as(Roles.REGION_ADMIN, account).queryParam("from", from.toString())
                .queryParam("to", Instant.now().plus(1, ChronoUnit.MINUTES).toString())
                .when().get("/api/v1/accounts/" + account + "/traffic-report").then().statusCode(200)
                .extract().jsonPath();
        assertThat(report.getLong("bridgeSelections")).isEqualTo(3);
        assertThat(report.getLong("plans")).isZero();
        assertThat(report.getLong("participants")).isEqualTo(3);
        assertThat(report.getLong("meetings")).as("one conference opened").isEqualTo(1);
        assertThat(report.getList("byRegion.region")).containsExactly("EU", "US");
        assertThat(report.getList("byRegion.participants", Integer.class)).containsExactly(2, 1);
        assertThat(report.getLong("policyViolations")).isZero();
    }

    @Test
    void shouldApplyAPolicyChangeToTheNextSelectionsWithinTheRefreshInterval() throws Exception {
        String account = account();
        URI url = keyUrl(account);
        List<Bridge> bridges = List.of(Bridge.of("jvb-dub-7", "eu-dub", 0.0), Bridge.of("jvb-iad-7", "us-iad", 0.5));
        assertThat(jicofo.select(url, bridges, Map.of(), "eu-dub").selectedIndex()).contains(0);

        policy(account, "{\"blockedRegions\": [\"EU\"]}");

        long deadline = System.nanoTime() + 10_000_000_000L;
        Optional<Integer> index;
        do {
            Thread.sleep(50);
            index = jicofo.select(url, bridges, Map.of(), "eu-dub").selectedIndex();
        } while (!index.equals(Optional.of(1)) && System.nanoTime() < deadline);
        assertThat(index).contains(1);
        for (int i = 0; i < 20; i++) {
            assertThat(jicofo.select(url, bridges, Map.of(), "eu-dub").selectedIndex()).contains(1);
        }
    }
}
