package io.meridian.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/** Every protected endpoint against every kind of bad token, and every wrong role. */
@QuarkusTest
class AuthenticationTest {

    static final String PLAN = "{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}]}";

    /** A protected endpoint: how to call it and which roles it admits. */
    record Endpoint(String method, String path, String body, Set<String> roles) {
        ValidatableResponse call(RequestSpecification request) {
            RequestSpecification r = body == null ? request : request.contentType(ContentType.JSON).body(body);
            return r.when().request(method, path).then();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final Set<String> ANY_ROLE = Set.of(Roles.MEETING_CLIENT, Roles.REGION_ADMIN, Roles.OPS);

    static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("POST", "/api/v1/routing-plans", PLAN, Set.of(Roles.MEETING_CLIENT)),
                new Endpoint("GET", "/api/v1/regions", null, ANY_ROLE),
                new Endpoint("GET", "/api/v1/data-centers", null, ANY_ROLE),
                new Endpoint("GET", "/api/v1/data-centers/eu-fra", null, ANY_ROLE),
                new Endpoint("GET", "/api/v1/accounts/acme/region-policy", null, Set.of(Roles.REGION_ADMIN)),
                new Endpoint("PUT", "/api/v1/accounts/acme/region-policy", "{\"blockedRegions\": [\"CN\"]}",
                        Set.of(Roles.REGION_ADMIN)),
                new Endpoint("DELETE", "/api/v1/accounts/acme/region-policy", null, Set.of(Roles.REGION_ADMIN)),
                new Endpoint("GET", "/api/v1/accounts/acme/region-policy/history", null, Set.of(Roles.REGION_ADMIN)),
                new Endpoint("PUT", "/api/v1/data-centers/la-gru/status", "{\"status\": \"ACTIVE\", \"reason\": \"auth test\"}",
                        Set.of(Roles.OPS)),
                new Endpoint("POST", "/api/v1/data-centers/la-gru/load-reports",
                        "{\"activeParticipants\": 0, \"reportedAt\": \"2000-01-01T00:00:00Z\"}", Set.of(Roles.OPS)),
                new Endpoint("POST", "/api/v1/accounts/acme/integrations/jicofo", null, Set.of(Roles.REGION_ADMIN)),
                new Endpoint("GET", "/api/v1/accounts/acme/integrations/jicofo", null, Set.of(Roles.REGION_ADMIN)),
                new Endpoint("DELETE", "/api/v1/accounts/acme/integrations/jicofo/x", null, Set.of(Roles.REGION_ADMIN)),
                new Endpoint("PUT", "/api/v1/reservations/01JDNOSUCHRESERVATION0000/lease", null, Set.of(Roles.MEETING_CLIENT)),
                new Endpoint("DELETE", "/api/v1/reservations/01JDNOSUCHRESERVATION0000", null, Set.of(Roles.MEETING_CLIENT)));
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static PrivateKey foreignKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPrivate();
    }

    static Stream<Arguments> badTokens() throws Exception {
        long now = Instant.now().getEpochSecond();
        String payload = b64("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"x\",\"upn\":\"x\",\"groups\":[\"meeting-client\"],"
                + "\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
        PrivateKey foreign = foreignKey();
        List<Arguments> tokens = List.of(
                Arguments.of("no token", null),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of("garbage segments", "aaa.bbb.ccc"),
                Arguments.of("bad signature", Tokens.claims(Roles.MEETING_CLIENT).sign(foreign)),
                Arguments.of("wrong issuer", Jwt.issuer("https://evil.example").upn("x").groups(Set.of(Roles.MEETING_CLIENT))
                        .expiresAt(Instant.now().plusSeconds(3600)).sign()),
                Arguments.of("expired", Tokens.claims(Roles.MEETING_CLIENT).issuedAt(Instant.now().minusSeconds(7200))
                        .expiresAt(Instant.now().minusSeconds(3600)).sign()),
                Arguments.of("not yet valid", Tokens.claims(Roles.MEETING_CLIENT).claim("nbf", now + 3600)
                        .issuedAt(Instant.now().plusSeconds(3600)).expiresAt(Instant.now().plusSeconds(7200)).sign()),
                Arguments.of("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + "."),
                Arguments.of("HS256 with the public key as secret", b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + payload
                        + ".c2lnbmF0dXJl"));
        return endpoints().stream().flatMap(e -> tokens.stream().map(t -> Arguments.of(e, t.get()[0], t.get()[1])));
    }

    @ParameterizedTest(name = "{0} with {1}: 401")
    @MethodSource("badTokens")
    void shouldAnswer401ProblemForEveryBadToken(Endpoint endpoint, String what, String token) {
        RequestSpecification request = token == null ? given() : given().header("Authorization", "Bearer " + token);
        endpoint.call(request).statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", endsWith("/problems/unauthorized"))
                .body("detail", equalTo("A valid bearer token is required (Authorization: Bearer <JWT>)."));
    }

    static Stream<Arguments> wrongRoles() {
        return endpoints().stream().flatMap(e -> Stream.of(Roles.MEETING_CLIENT, Roles.REGION_ADMIN, Roles.OPS, "guest")
                .filter(role -> !e.roles().contains(role)).map(role -> Arguments.of(e, role)));
    }

    @ParameterizedTest(name = "{0} as {1}: 403")
    @MethodSource("wrongRoles")
    void shouldAnswer403ProblemForAWrongRole(Endpoint endpoint, String role) {
        endpoint.call(Tokens.as(role)).statusCode(403)
                .contentType("application/problem+json")
                .body("type", endsWith("/problems/forbidden"));
    }

    static Stream<Arguments> rightRoles() {
        return endpoints().stream().flatMap(e -> e.roles().stream().map(role -> Arguments.of(e, role)));
    }

    @ParameterizedTest(name = "{0} as {1}: admitted")
    @MethodSource("rightRoles")
    void shouldAdmitTheRightRoles(Endpoint endpoint, String role) {
        // region admins also need the account in their token; what follows (200, 404, 412...) is the
        // endpoint's business, as long as it is not an authentication or authorization refusal
        endpoint.call(Tokens.as(role, "acme")).statusCode(org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(401), org.hamcrest.Matchers.is(403))));
    }
}
