package io.meridian.security;

import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;

/** Tokens for tests, signed with the development key (smallrye.jwt.sign.key.location in the test profile). */
public final class Tokens {

    public static final String ISSUER = "https://meridian.example/dev";

    private Tokens() {
    }

    /** A claims builder for a valid one-hour token with one role. */
    public static JwtClaimsBuilder claims(String role, String... accounts) {
        return Jwt.issuer(ISSUER).subject("test-" + role).upn("test-" + role).groups(Set.of(role))
                .claim("accounts", List.of(accounts))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600));
    }

    public static String token(String role, String... accounts) {
        return claims(role, accounts).sign();
    }

    /** A RestAssured request carrying a valid token of the role. */
    public static RequestSpecification as(String role, String... accounts) {
        return given().auth().oauth2(token(role, accounts));
    }

    public static RequestSpecification asClient() {
        return as(Roles.MEETING_CLIENT);
    }
}
