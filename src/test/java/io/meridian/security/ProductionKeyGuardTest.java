package io.meridian.security;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProductionKeyGuardTest {

    private static final Path DEV_KEY = Path.of("deploy/dev/public-key.pem");
    private static final String OTHER_KEY = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEzHkAdbbk1bDDr2EsMeBvlRUeRaNl
            -----END PUBLIC KEY-----
            """;

    @Test
    void shouldAcceptARealKeyAndIssuer() {
        assertThat(ProductionKeyGuard.check(Optional.of(OTHER_KEY), Optional.empty(), Optional.of("https://idp.example")))
                .isEmpty();
        assertThat(ProductionKeyGuard.check(Optional.empty(), Optional.of("https://idp.example/jwks"),
                Optional.of("https://idp.example"))).isEmpty();
    }

    @Test
    void shouldRefuseNoKeyAndNoIssuer() {
        assertThat(ProductionKeyGuard.check(Optional.empty(), Optional.empty(), Optional.empty()))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"))
                .anySatisfy(p -> assertThat(p).contains("MP_JWT_VERIFY_ISSUER"));
    }

    @Test
    void shouldRefuseTheDevelopmentKeyHoweverItIsGiven() throws Exception {
        String pem = Files.readString(DEV_KEY);
        assertThat(ProductionKeyGuard.check(Optional.empty(), Optional.of(DEV_KEY.toString()), Optional.of("https://idp.example")))
                .singleElement().asString().contains("development key");
        assertThat(ProductionKeyGuard.check(Optional.empty(), Optional.of("file:" + DEV_KEY.toAbsolutePath()),
                Optional.of("https://idp.example"))).hasSize(1);
        assertThat(ProductionKeyGuard.check(Optional.of(pem), Optional.empty(), Optional.of("https://idp.example")))
                .hasSize(1);
        String jwks = "{\"keys\": [{\"kty\": \"RSA\", \"n\": \"" + ProductionKeyGuard.DEV_MODULUS + "\", \"e\": \"AQAB\"}]}";
        Path file = Files.createTempFile("jwks", ".json");
        Files.writeString(file, jwks);
        assertThat(ProductionKeyGuard.check(Optional.empty(), Optional.of(file.toString()), Optional.of("https://idp.example")))
                .hasSize(1);
    }

    @Test
    void shouldRefuseTheDevelopmentIssuer() {
        assertThat(ProductionKeyGuard.check(Optional.of(OTHER_KEY), Optional.empty(), Optional.of(Tokens.ISSUER)))
                .singleElement().asString().contains("development issuer");
    }

    @Test
    void theGuardShouldKnowTheCommittedDevelopmentKey() throws Exception {
        assertThat(ProductionKeyGuard.isDevKey(Files.readString(DEV_KEY))).isTrue();
    }
}
