package io.meridian.routing;

import io.meridian.security.Tokens;
import io.meridian.web.Examples;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class RoutingPlanResourceTest {

    static final String PATH = "/api/v1/routing-plans";

    /** The OpenAPI example request, so the documented example is the tested one. */
    static final String THREE_CONTINENTS = Examples.PLAN_REQUEST.replace("\"CASCADE\"", "\"%s\"");

    static ValidatableResponse post(String body) {
        return Tokens.asClient().contentType(ContentType.JSON).body(body).when().post(PATH).then();
    }

    static ValidatableResponse postInvalid(String body) {
        return post(body).statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/problems/invalid-request"))
                .body("status", equalTo(400))
                .body("title", notNullValue());
    }

    @Test
    void shouldPlanACascadeAcrossThreeContinents() {
        post(THREE_CONTINENTS.formatted("CASCADE")).statusCode(200)
                .contentType(ContentType.JSON)
                .body("planId", notNullValue())
                .body("meetingId", equalTo("weekly-sync-42"))
                .body("strategy", equalTo("CASCADE"))
                .body("assignments.participantId", equalTo(List.of("alice", "bob", "chen")))
                .body("assignments.dataCenter", equalTo(List.of("eu-fra", "us-sjc", "sg-sin")))
                .body("assignments[2].estimatedRttMs", equalTo(4.0f))
                .body("assignments[2].rttSource", equalTo("MEASURED"))
                .body("assignments[0].rttSource", equalTo("ESTIMATED"))
                .body("dataCenters", hasSize(3))
                .body("dataCenters.findAll { it.primary }", hasSize(1))
                .body("cascadeLinks", hasSize(2))
                .body("regionsUsed", equalTo(List.of("EU", "SG", "US")))
                .body("effectivePolicy.blockedRegions", equalTo(List.of("CN")))
                .body("effectivePolicy.allowedRegions", nullValue())
                .body("effectivePolicy.sources", equalTo(List.of("request")))
                .body("excluded.dataCenter", equalTo(List.of("cn-pek", "cn-sha")))
                .body("excluded.reason", everyItem(equalTo("REGION_BLOCKED")))
                .body("summary.maxRttMs", notNullValue())
                .body("summary.worstPairLatencyMs", notNullValue())
                .body("reservation", nullValue());
    }

    @Test
    void theDocumentedExampleAnswerShouldBeTheRealOne() {
        Map<String, Object> real = post(THREE_CONTINENTS.formatted("CASCADE")).statusCode(200).extract().jsonPath().getMap("");
        Map<String, Object> documented = io.restassured.path.json.JsonPath.from(Examples.PLAN_RESPONSE).getMap("");
        real.remove("planId");
        documented.remove("planId");
        @SuppressWarnings("unchecked")
        Map<String, Object> receipt = (Map<String, Object>) real.remove("receipt");
        @SuppressWarnings("unchecked")
        Map<String, Object> documentedReceipt = (Map<String, Object>) documented.remove("receipt");
        assertThat(real).isEqualTo(documented);
        assertThat(receipt.keySet()).isEqualTo(documentedReceipt.keySet());
        assertThat(receipt.get("leafIndex")).isNull();
        assertThat(java.util.Base64.getDecoder().decode((String) receipt.get("entryHash"))).hasSize(32);
    }

    @Test
    void shouldPlanTheWholeMeetingOnOneDataCenterWithSingle() {
        post(THREE_CONTINENTS.formatted("SINGLE")).statusCode(200)
                .body("strategy", equalTo("SINGLE"))
                .body("dataCenters", hasSize(1))
                .body("dataCenters[0].primary", is(true))
                .body("dataCenters[0].participants", equalTo(3))
                .body("cascadeLinks", hasSize(0));
    }

    @Test
    void autoShouldCascadeExactlyWhenThatGainsTheConfiguredThirtyMilliseconds() {
        List<List<String>> meetings = List.of(List.of("AU", "BR"), List.of("DE", "US", "SG"), List.of("JP", "BR"),
                List.of("FR", "FR"), List.of("AU", "DE", "BR"), List.of("IN", "US"), List.of("ZA", "CA", "NZ"));
        boolean sawCascade = false;
        boolean sawSingle = false;
        for (List<String> countries : meetings) {
            StringBuilder participants = new StringBuilder();
            for (int i = 0; i < countries.size(); i++) {
                participants.append(i > 0 ? "," : "").append("{\"id\": \"p").append(i)
                        .append("\", \"location\": {\"country\": \"").append(countries.get(i)).append("\"}}");
            }
            String body = "{\"participants\": [" + participants + "], \"strategy\": \"%s\"}";
            float single = post(body.formatted("SINGLE")).statusCode(200).extract().path("summary.worstPairLatencyMs");
            float cascade = post(body.formatted("CASCADE")).statusCode(200).extract().path("summary.worstPairLatencyMs");
            String expected = single - cascade >= 30 ? "CASCADE" : "SINGLE";
            String auto = post(body.formatted("AUTO")).statusCode(200)
                    .body("summary.worstPairLatencyMs", equalTo(expected.equals("CASCADE") ? cascade : single))
                    .extract().path("strategy");
            assertThat(auto).as(countries.toString()).isEqualTo(expected);
            sawCascade |= auto.equals("CASCADE");
            sawSingle |= auto.equals("SINGLE");
        }
        assertThat(sawCascade).isTrue();
        assertThat(sawSingle).isTrue();
    }

    @Test
    void shouldKeepParticipantsInsideABlockedRegionOutOfIt() {
        post("""
                {"participants": [
                  {"id": "li", "location": {"country": "CN"}},
                  {"id": "wu", "location": {"latitude": 31.23, "longitude": 121.47}}],
                 "blockedRegions": ["cn"], "strategy": "CASCADE"}
                """).statusCode(200)
                .body("assignments.region", everyItem(not(equalTo("CN"))))
                .body("regionsUsed", not(hasItem("CN")))
                .body("excluded.findAll { it.region == 'CN' }.reason", everyItem(equalTo("REGION_BLOCKED")))
                .body("excluded.findAll { it.region == 'CN' }", hasSize(2));
    }

    @Test
    void shouldGoFarRatherThanTouchABlockedRegion() {
        post("""
                {"participants": [{"id": "s", "location": {"country": "SG"}}, {"id": "h", "location": {"country": "HK"}}],
                 "blockedRegions": ["SG", "HK", "CN", "JP", "IN", "AU"], "strategy": "AUTO"}
                """).statusCode(200)
                .body("regionsUsed", everyItem(org.hamcrest.Matchers.in(List.of("EU", "US", "CA", "LA"))))
                .body("cascadeLinks.from", everyItem(org.hamcrest.Matchers.not(org.hamcrest.Matchers.startsWith("sg"))));
    }

    @Test
    void shouldMarkRegionsOutsideTheAllowListAsNotAllowed() {
        post("""
                {"participants": [{"id": "a", "location": {"country": "US"}}], "allowedRegions": ["eu"]}
                """).statusCode(200)
                .body("regionsUsed", equalTo(List.of("EU")))
                .body("effectivePolicy.allowedRegions", equalTo(List.of("EU")))
                .body("excluded", hasSize(18))
                .body("excluded.reason", everyItem(equalTo("REGION_NOT_ALLOWED")));
    }

    @Test
    void shouldGiveTheSamePlanForTheSameRequest() {
        String body = THREE_CONTINENTS.formatted("AUTO");
        Map<String, Object> first = post(body).statusCode(200).extract().jsonPath().getMap("");
        for (int i = 0; i < 3; i++) {
            Map<String, Object> again = post(body).statusCode(200).extract().jsonPath().getMap("");
            first.remove("planId");
            again.remove("planId");
            // the receipt names the plan id and hashes it with the time: it differs by design
            first.remove("receipt");
            again.remove("receipt");
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void theBenchmarkFloorEndpointShouldNotExistInANormalBuild() {
        Tokens.asClient().contentType(ContentType.JSON).body(THREE_CONTINENTS.formatted("AUTO"))
                .when().post("/api/v1/bench/floor").then().statusCode(404);
    }

    @Test
    void shouldAnswer422WhenThePolicyLeavesNoRegion() {
        for (String policy : List.of("\"allowedRegions\": []",
                "\"allowedRegions\": [\"EU\"], \"blockedRegions\": [\"EU\"]",
                "\"blockedRegions\": [\"US\",\"CA\",\"LA\",\"EU\",\"IN\",\"AU\",\"JP\",\"HK\",\"SG\",\"CN\"]")) {
            post("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], " + policy + "}")
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/problems/no-permitted-region"))
                    .body("status", equalTo(422));
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenPermittedHeadroomRunsOut() {
        // AU: floor(12000 * 0.85) + floor(8000 * 0.85) = 17000 places
        String cascade = meeting(17_001, "{\"country\": \"AU\"}", "\"allowedRegions\": [\"AU\"], \"strategy\": \"CASCADE\"");
        post(cascade).statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("30"))
                .body("type", endsWith("/problems/no-permitted-capacity"))
                .body("unroutableParticipants", equalTo(1));
        // SINGLE: the largest AU site takes 10200
        String single = meeting(10_201, "{\"country\": \"AU\"}", "\"allowedRegions\": [\"AU\"], \"strategy\": \"SINGLE\"");
        post(single).statusCode(503).body("unroutableParticipants", equalTo(1));
        // AUTO falls back to a cascade within AU rather than leaving it
        String auto = meeting(10_201, "{\"country\": \"AU\"}", "\"allowedRegions\": [\"AU\"]");
        post(auto).statusCode(200).body("strategy", equalTo("CASCADE")).body("regionsUsed", equalTo(List.of("AU")));
    }

    static String meeting(int participants, String location, String extra) {
        StringBuilder sb = new StringBuilder("{\"participants\": [");
        for (int i = 0; i < participants; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":\"p").append(i).append("\",\"location\":").append(location).append('}');
        }
        sb.append(']');
        if (!extra.isEmpty()) {
            sb.append(", ").append(extra);
        }
        return sb.append('}').toString();
    }

    @Test
    void shouldAnswer413AboveTheParticipantLimit() {
        post(meeting(50_001, "{\"country\": \"US\"}", "")).statusCode(413)
                .contentType("application/problem+json")
                .body("type", endsWith("/problems/too-many-participants"))
                .body("detail", containsString("50000"));
    }

    @Test
    void shouldAnswer413ProblemForABodyOverTheSizeLimit() {
        byte[] body = new byte[16 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        Tokens.asClient().contentType(ContentType.JSON).body(body).when().post(PATH).then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("16777216 bytes"));
    }

    @Test
    void shouldRouteAMeetingAtTheParticipantLimit() {
        post(meeting(50_000, "{\"country\": \"US\"}", "\"strategy\": \"CASCADE\", \"allowedRegions\": [\"US\"]"))
                .statusCode(200)
                .body("assignments", hasSize(50_000))
                .body("dataCenters.participants.sum()", equalTo(50_000))
                .body("regionsUsed", equalTo(List.of("US")));
    }

    @Test
    void shouldRejectMalformedJson() {
        postInvalid("{\"participants\": [").body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("not valid JSON"));
        postInvalid("").body("errors[0].field", equalTo("body"));
        postInvalid("[1, 2]").body("errors[0].field", equalTo("body"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}]} trailing");
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": NaN, \"longitude\": 1}}]}");
    }

    @Test
    void shouldRejectWrongTypes() {
        postInvalid("{\"participants\": {\"id\": \"a\"}}").body("errors[0].field", equalTo("participants"))
                .body("errors[0].message", equalTo("must be an array"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": \"12\", \"longitude\": 1}}]}")
                .body("errors[0].field", equalTo("participants[0].location.latitude"))
                .body("errors[0].message", equalTo("must be a number"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": \"NaN\", \"longitude\": 1}}]}")
                .body("errors[0].field", equalTo("participants[0].location.latitude"));
        postInvalid("{\"participants\": [{\"id\": 7, \"location\": {\"country\": \"US\"}}]}")
                .body("errors[0].field", equalTo("participants[0].id"))
                .body("errors[0].message", equalTo("must be a string"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], \"reserve\": \"yes\"}")
                .body("errors[0].field", equalTo("reserve"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], \"strategy\": \"FASTEST\"}")
                .body("errors[0].field", equalTo("strategy"))
                .body("errors[0].message", containsString("AUTO"));
    }

    @Test
    void shouldRejectUnknownFieldsSoThatATypoCannotDropARestriction() {
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], \"blockedRegion\": [\"CN\"]}")
                .body("errors[0].field", equalTo("blockedRegion"))
                .body("errors[0].message", containsString("blockedRegions"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], \"blockedRegions\": [], \"blockedRegions\": [\"CN\"]}");
    }

    @Test
    void shouldRejectMissingAndEmptyParticipants() {
        postInvalid("{}").body("errors[0].field", equalTo("participants"));
        postInvalid("{\"participants\": []}").body("errors[0].field", equalTo("participants"));
        postInvalid("{\"participants\": [null]}").body("errors[0].field", equalTo("participants[0]"));
        postInvalid("{\"participants\": [{\"location\": {\"country\": \"US\"}}]}")
                .body("errors[0].field", equalTo("participants[0].id"));
        postInvalid("{\"participants\": [{\"id\": \"a\"}]}").body("errors[0].field", equalTo("participants[0].location"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {}}]}")
                .body("errors[0].field", equalTo("participants[0].location"));
    }

    @Test
    void shouldRejectOverlongOrControlCharacterIds() {
        postInvalid("{\"participants\": [{\"id\": \"a\\u0007b\", \"location\": {\"country\": \"US\"}}]}")
                .body("errors[0].field", equalTo("participants[0].id"));
        postInvalid("{\"participants\": [{\"id\": \"" + "x".repeat(129) + "\", \"location\": {\"country\": \"US\"}}]}")
                .body("errors[0].field", equalTo("participants[0].id"));
        postInvalid("{\"meetingId\": \"bad id!\", \"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}]}")
                .body("errors[0].field", equalTo("meetingId"));
    }

    @Test
    void shouldRejectDuplicateParticipantIds() {
        postInvalid("""
                {"participants": [{"id": "a", "location": {"country": "US"}}, {"id": "a", "location": {"country": "DE"}}]}
                """).body("errors[0].field", equalTo("participants[1].id"))
                .body("errors[0].message", containsString("participants[0]"));
    }

    @Test
    void shouldRejectUnknownCountriesAndRegions() {
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"XX\"}}]}")
                .body("errors[0].field", equalTo("participants[0].location.country"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"USA\"}}]}")
                .body("errors[0].field", equalTo("participants[0].location.country"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], \"blockedRegions\": [\"MARS\"]}")
                .body("errors[0].field", equalTo("blockedRegions[0]"))
                .body("errors[0].message", containsString("EU"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}}], \"allowedRegions\": [\"EU\", \"XX\"]}")
                .body("errors[0].field", equalTo("allowedRegions[1]"));
    }

    @Test
    void shouldRejectCoordinatesOutOfRangeOrHalfGiven() {
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": 91, \"longitude\": 0}}]}")
                .body("errors.field", hasItem("participants[0].location.latitude"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": 0, \"longitude\": -180.5}}]}")
                .body("errors.field", hasItem("participants[0].location.longitude"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": 1e400, \"longitude\": 0}}]}")
                .body("errors.field", hasItem(containsString("participants[0].location")));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"latitude\": 10, \"country\": \"US\"}}]}")
                .body("errors[0].field", equalTo("participants[0].location"))
                .body("errors[0].message", containsString("together"));
    }

    @Test
    void shouldRejectMeasurementsForUnknownDataCentersOrOutOfRange() {
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}, \"measuredRttMs\": {\"xx-nope\": 3}}]}")
                .body("errors[0].field", equalTo("participants[0].measuredRttMs.xx-nope"));
        postInvalid("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}, \"measuredRttMs\": {\"us-sjc\": -1}}]}")
                .body("errors[0].field", containsString("participants[0].measuredRttMs"));
    }

    @Test
    void shouldListEveryProblemOfARequestAtOnce() {
        postInvalid("""
                {"participants": [{"id": "a", "location": {"country": "ZZ"}}, {"id": "b", "location": {"latitude": 1}}],
                 "blockedRegions": ["XX"]}
                """).body("errors", hasSize(3));
    }

    @Test
    void shouldRejectOtherMediaTypesAndMethodsWithProblems() {
        Tokens.asClient().contentType(ContentType.TEXT).body("hello").when().post(PATH).then()
                .statusCode(415).contentType("application/problem+json");
        Tokens.asClient().when().get(PATH).then()
                .statusCode(405).contentType("application/problem+json");
    }

    @Test
    void errorsShouldNeverRevealJavaInternals() {
        List<String> bodies = List.of("{", "{\"participants\": 3}", "{\"participants\": [{\"id\": []}]}",
                "{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"US\"}, \"measuredRttMs\": []}]}",
                "{\"strategy\": 5}", "null", "\"text\"");
        for (String body : bodies) {
            String answer = post(body).statusCode(400).extract().asString();
            assertThat(answer).doesNotContain("java.", "io.meridian", "Exception", "jackson", "\tat ");
        }
    }

    /** Bodies over the event loop's limit are read on a worker; malformed ones still answer 400. */
    @Test
    void aLargeMalformedBodyShouldAnswer400() {
        StringBuilder body = new StringBuilder("{\"participants\": [");
        for (int i = 0; i < 400; i++) {
            body.append(i > 0 ? "," : "").append("{\"id\": \"p").append(i).append("\", \"location\": {\"country\": \"DE\"}}");
        }
        String truncated = body.toString();
        assertThat(truncated.length()).isGreaterThan(16 * 1024);
        Tokens.asClient().contentType(ContentType.JSON).body(truncated).when().post("/api/v1/routing-plans")
                .then().statusCode(400).contentType("application/problem+json");
        Tokens.asClient().contentType(ContentType.JSON).body(truncated + "], \"strategy\": \"SIDEWAYS\"}")
                .when().post("/api/v1/routing-plans").then().statusCode(400);
        Tokens.asClient().contentType(ContentType.JSON).body(truncated + "]}").when().post("/api/v1/routing-plans")
                .then().statusCode(200);
    }
}
