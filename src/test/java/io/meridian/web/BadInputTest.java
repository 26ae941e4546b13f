package io.meridian.web;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The classes of bad input, each on every endpoint it can reach: a clear 400 (or 413, 415) in the
 * client's terms, never a 500, and nothing stored that the database cannot hold. Runs on H2 and,
 * with the pg profile, on PostgreSQL (where a NUL answered 500).
 */
@QuarkusTest
class BadInputTest {

    private static final String ACCOUNT = "bad-input";

    @TestHTTPResource("/")
    URL server;

    /** Every body endpoint with a valid body, a role that may call it, and its method. */
    private record Endpoint(String method, String path, String role, String body) {
    }

    private static final List<Endpoint> BODIES = List.of(
            new Endpoint("POST", "/api/v1/routing-plans", Roles.MEETING_CLIENT,
                    "{\"meetingId\": \"m\", \"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"DE\"}}]}"),
            new Endpoint("PUT", "/api/v1/data-centers/eu-ams/status", Roles.OPS, "{\"status\": \"ACTIVE\", \"reason\": \"r\"}"),
            new Endpoint("POST", "/api/v1/data-centers/eu-ams/load-reports", Roles.OPS, "{\"activeParticipants\": 0}"),
            new Endpoint("PUT", "/api/v1/accounts/" + ACCOUNT + "/region-policy", Roles.REGION_ADMIN,
                    "{\"blockedRegions\": [\"CN\"]}"),
            new Endpoint("POST", "/api/v1/simulations", Roles.OPS, "{\"workload\": {\"meetings\": 1, "
                    + "\"participantsPerMeeting\": {\"min\": 1, \"max\": 2}, \"countries\": {\"US\": 1}}}"));

    private static RequestSpecification as(String role) {
        return Tokens.as(role, ACCOUNT).urlEncodingEnabled(false);
    }

    private static ValidatableResponse send(Endpoint e, byte[] body) {
        return as(e.role()).contentType("application/json").body(body).request(e.method(), e.path()).then();
    }

    private static ValidatableResponse send(Endpoint e, String body) {
        return send(e, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void invalid(ValidatableResponse response) {
        response.statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/problems/invalid-request"));
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesInAnyStringShouldAnswer400() {
        for (Endpoint e : BODIES) {
            if (!e.body().contains("\": \"")) {
                continue;
            }
            for (String bad : new String[]{"\\u0000", "\\u001b[31m", "\\n", "\\u0085", "\\ud800", "\\udc00x"}) {
                // the last string value of each body (an id, a code, a reason) gets the bad character
                int quote = e.body().lastIndexOf("\": \"") + 4;
                String body = e.body().substring(0, quote) + "A" + bad + e.body().substring(quote);
                send(e, body).statusCode(400).contentType("application/problem+json")
                        .body("errors[0].message", containsString("control characters"));
            }
        }
        // object keys too: a country, a measured data center
        invalid(send(BODIES.get(4), BODIES.get(4).body().replace("\"US\"", "\"U\\u0000S\"")));
        invalid(send(BODIES.get(0), "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"DE\"}, "
                + "\"measuredRttMs\": {\"eu\\u0000fra\": 1}}]}"));
    }

    @Test
    void invalidOrOverlongUtf8ShouldAnswer400() {
        for (Endpoint e : BODIES) {
            byte[] valid = e.body().getBytes(StandardCharsets.UTF_8);
            int at = e.body().indexOf("\": \"") + 4;
            for (byte[] bad : new byte[][]{{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {0}}) {
                byte[] body = new byte[valid.length + bad.length];
                System.arraycopy(valid, 0, body, 0, at);
                System.arraycopy(bad, 0, body, at, bad.length);
                System.arraycopy(valid, at, body, at + bad.length, valid.length - at);
                send(e, body).statusCode(400).body("detail", not(containsString("Jackson")));
            }
        }
    }

    @Test
    void aBodyWithoutContentTypeOrAnotherShouldAnswer415OnEveryBodyEndpoint() throws java.io.IOException {
        for (Endpoint e : BODIES) {
            for (String type : new String[]{"text/plain", "application/json; charset=ISO-8859-1",
                    "application/xml"}) {
                as(e.role()).contentType(type).body(e.body().getBytes(StandardCharsets.UTF_8))
                        .request(e.method(), e.path()).then().statusCode(415).contentType("application/problem+json");
            }
            // no Content-Type at all: clients add one, so the request is written by hand
            String answer = RawHttp.exchange(server, (e.method() + " " + e.path() + " HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + Tokens.token(e.role(), ACCOUNT) + "\r\nConnection: close\r\n"
                    + "Content-Length: " + e.body().length() + "\r\n\r\n" + e.body()).getBytes(StandardCharsets.UTF_8), 10_000);
            assertThat(RawHttp.status(answer)).as(e.path()).isEqualTo(415);
        }
    }

    @Test
    void anAcceptThatCannotBeMetShouldAnswer406() {
        for (Endpoint e : BODIES) {
            as(e.role()).contentType("application/json").accept("text/html").body(e.body())
                    .request(e.method(), e.path()).then().statusCode(406).contentType("application/problem+json");
        }
        as(Roles.OPS).accept("application/xml").get("/api/v1/data-centers").then().statusCode(406);
    }

    @Test
    void codesShouldBeAsciiComparedAsAscii() {
        Endpoint plan = BODIES.get(0);
        for (String code : new String[]{"ın", "ſg", " EU", "EU ", "ＥＵ", "e\u0301u"}) {
            invalid(send(plan, "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"DE\"}}], "
                    + "\"blockedRegions\": [\"" + code + "\"]}"));
        }
        send(plan, "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"de\"}}], \"blockedRegions\": "
                + "[\"in\"], \"strategy\": \"single\"}").statusCode(200).body("effectivePolicy.blockedRegions[0]", equalTo("IN"));
        for (String strategy : new String[]{"ſingle", " SINGLE", "SINGLE ", "sıngle"}) {
            send(plan, "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"DE\"}}], \"strategy\": \""
                    + strategy + "\"}").statusCode(400).body("errors[0].field", equalTo("strategy"));
        }
        invalid(send(plan, "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"dı\"}}]}"));
        invalid(send(BODIES.get(1), "{\"status\": \"actıve\"}"));
        invalid(send(BODIES.get(3), "{\"blockedRegions\": [\"cn\"], \"homeRegion\": \"ẹu\"}"));
        invalid(send(BODIES.get(4), BODIES.get(4).body().replace("\"US\"", "\"uſ\"")));
    }

    @Test
    void timesShouldBeRfc3339StringsInsideTheWindow() {
        Endpoint report = BODIES.get(2);
        for (String at : new String[]{"\"-1000000000-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"",
                "1700000000", "\"1999-12-31T23:59:59Z\"", "\"2026-11-23\"", "\"2026-11-23T07:00Z\"",
                "\"2026-11-23 07:00:00Z\"", "true", "{}"}) {
            send(report, "{\"activeParticipants\": 1, \"reportedAt\": " + at + "}").statusCode(400)
                    .body("errors[0].field", equalTo("reportedAt")).body("errors[0].message", containsString("2000"));
        }
        send(report, "{\"activeParticipants\": 1, \"reportedAt\": \"2026-01-01t00:00:00.5+01:00\"}").statusCode(202);
        String traffic = "/api/v1/accounts/" + ACCOUNT + "/traffic-report";
        for (String from : new String[]{"-1000000000-01-01T00:00:00Z", "%2B999999999-01-01T00:00:00Z", "0", "1e9"}) {
            as(Roles.OPS).get(traffic + "?from=" + from + "&to=2026-01-01T00:00:00Z").then().statusCode(400)
                    .body("errors[0].field", equalTo("from"));
        }
    }

    @Test
    void sizesShouldBeCheckedBeforeTheyAreMultiplied() {
        Endpoint simulation = BODIES.get(4);
        for (String workload : new String[]{"\"meetings\": 2147483647, \"participantsPerMeeting\": {\"min\": 1, \"max\": 2147483647}",
                "\"meetings\": 10000, \"participantsPerMeeting\": {\"min\": 1, \"max\": 50000}",
                "\"meetings\": 65536, \"participantsPerMeeting\": {\"min\": 65536, \"max\": 65536}"}) {
            send(simulation, "{\"workload\": {" + workload + ", \"countries\": {\"US\": 1}}}").statusCode(413)
                    .body("type", endsWith("/problems/simulation-too-large"));
        }
        send(simulation, "{\"workload\": {\"meetings\": 99999999999, \"participantsPerMeeting\": {\"min\": 1, \"max\": 2},"
                + " \"countries\": {\"US\": 1}}}").statusCode(400).body("errors[0].field", equalTo("workload.meetings"));
        send(simulation, "{\"scenario\": {\"capacityFactor\": {\"us-sjc\": 1e308}}, \"workload\": {\"meetings\": 1, "
                + "\"participantsPerMeeting\": {\"min\": 1, \"max\": 2}, \"countries\": {\"US\": 1e308, \"DE\": 1e308}}}")
                .statusCode(400);
        send(simulation, "{\"workload\": {\"meetings\": 2, \"participantsPerMeeting\": {\"min\": 1, \"max\": 2}, "
                + "\"countries\": {\"US\": 1e308, \"DE\": 1e308, \"FR\": 4.9e-324}}}").statusCode(200);
    }

    @Test
    void idsInPathsAndQueriesShouldAnswer400WhenMalformed() {
        for (String id : new String[]{"acme%00", "acme%0A", "%C0%AF", "a%2Fb", "-acme", "x".repeat(129)}) {
            as(Roles.REGION_ADMIN).get("/api/v1/accounts/" + id + "/region-policy").then().statusCode(400);
            as(Roles.OPS).get("/api/v1/accounts/" + id + "/traffic-report?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")
                    .then().statusCode(400);
        }
        as(Roles.OPS).get("/api/v1/data-centers/eu-fra%00").then().statusCode(400);
        for (String ulid : new String[]{"8ZZZZZZZZZZZZZZZZZZZZZZZZZ", "01jdn0svchreservat10n00000", "01JDN0SVCHRESERVAT10N0000",
                "01JDN0SVCHRESERVAT10N0000U", "01JDN0SVCHRESERVAT10N0000%00"}) {
            // %00 is refused with the URI, before any field is looked at
            String field = ulid.contains("%") ? null : "id";
            Tokens.asClient().urlEncodingEnabled(false).put("/api/v1/reservations/" + ulid + "/lease").then()
                    .statusCode(400).body("errors[0].field", equalTo(field));
            as(Roles.OPS).get("/api/v1/accounts/" + ACCOUNT + "/meetings/m/routing-history?before=" + ulid)
                    .then().statusCode(400).body("errors[0].field", equalTo(field == null ? null : "before"));
        }
        as(Roles.OPS).get("/api/v1/accounts/" + ACCOUNT + "/meetings/m/routing-history?limit=1e3").then().statusCode(400);
    }

    @Test
    void storedHeadersAndTokenSubjectsShouldBeStorable() {
        Endpoint plan = BODIES.get(0);
        String reserving = "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"DE\"}}], \"reserve\": true}";
        for (String key : new String[]{"k\u00e9y", "k e y", "x".repeat(201)}) {
            Tokens.asClient().contentType("application/json").header("Idempotency-Key", key).body(reserving)
                    .post(plan.path()).then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        }
        for (String subject : new String[]{"alice\u0000", "alice\nINFO forged", "x".repeat(257)}) {
            String token = Tokens.claims(Roles.REGION_ADMIN, ACCOUNT).subject(subject).sign();
            given().auth().oauth2(token).contentType("application/json").body("{\"blockedRegions\": [\"CN\"]}")
                    .put("/api/v1/accounts/" + ACCOUNT + "/region-policy").then().statusCode(400)
                    .body("errors[0].field", equalTo("Authorization"));
            given().auth().oauth2(Tokens.claims(Roles.OPS).subject(subject).sign()).contentType("application/json")
                    .body("{\"status\": \"ACTIVE\"}").put("/api/v1/data-centers/eu-ams/status").then().statusCode(400);
        }
    }

    @Test
    void problemDetailsShouldUseTheClientsTerms() {
        Endpoint plan = BODIES.get(0);
        String[] bodies = {"{\"participants\": [{\"id\": \"p\", \"location\": {\"latitude\": NaN, \"longitude\": 1}}]}",
                "{\"participants\": [] /* c */}", "{\"participants\": [", "{'participants': []}", "[1]",
                "{\"participants\": [{\"id\": \"p\", \"id\": \"q\"}]}", "{\"participants\": tru}",
                "{\"participants\": [{\"id\": 01}]}", "{\"participants\": [{\"id\": \"a\\x\"}]}",
                "{\"participants\": [{\"id\": \"p\", \"location\": {\"latitude\": 1e99999}}]}", "{} {}",
                "{\"participants\": [{\"id\": \"p\", \"location\": {\"country\": \"DE\"}}], \"reserve\": null, "
                        + "\"strategy\": 1}", "\"x\"", "{\"participants\": \"" + "9".repeat(2000) + "\"}",
                "{\"participants\": " + "[".repeat(2000) + "]".repeat(2000) + "}"};
        for (String body : bodies) {
            String answer = send(plan, body).statusCode(400).extract().asString();
            assertThat(answer).as(body).doesNotContain("Jackson", "Feature", "JsonReadFeature", "java.", "Source:",
                    "REDACTED", "`", "StreamReadConstraints", "io.meridian", "Cannot deserialize");
        }
    }
}
