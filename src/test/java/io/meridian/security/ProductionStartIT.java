package io.meridian.security;

import io.meridian.PackagedService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the packaged service (prod profile) with bad and good token settings, on the database
 * {@link PackagedService} chooses (PostgreSQL where given, else the H2 build).
 */
public class ProductionStartIT {

    /** Runs the jar until it exits or has started, returning its exit code (or -1 if it started) and output. */
    static Map.Entry<Integer, String> run(Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("meridian-prod", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", PackagedService.jar().toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
        builder.environment().remove("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        builder.environment().remove("MP_JWT_VERIFY_ISSUER");
        builder.environment().putAll(PackagedService.database());
        builder.environment().putAll(PackagedService.transparencyKeys());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (process.waitFor(250, TimeUnit.MILLISECONDS)) {
                    return Map.entry(process.exitValue(), read(log));
                }
                if (read(log).contains("started in")) {
                    return Map.entry(-1, read(log));
                }
            }
            throw new AssertionError("neither started nor stopped within 60 s:\n" + read(log));
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseToStartWithTheDevelopmentKey() throws Exception {
        var result = run(Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", Path.of("deploy/dev/public-key.pem").toAbsolutePath().toString(),
                "MP_JWT_VERIFY_ISSUER", "https://idp.example"));
        assertThat(result.getKey()).as(result.getValue()).isPositive();
        assertThat(result.getValue()).contains("Refusing to start").contains("development key of deploy/dev");
    }

    @Test
    void shouldRefuseToStartWithTheDevelopmentSigningKeyOfTheTransparencyLog() throws Exception {
        var result = run(Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", realKey().toString(), "MP_JWT_VERIFY_ISSUER",
                "https://idp.example", "MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION",
                Path.of("deploy/dev/transparency-signing-key.pem").toAbsolutePath().toString()));
        assertThat(result.getKey()).as(result.getValue()).isPositive();
        assertThat(result.getValue()).contains("Refusing to start")
                .contains("the signing key is the development key of deploy/dev");
    }

    @Test
    void shouldRefuseToStartWithTheDevelopmentHashSecretOfTheTransparencyLog() throws Exception {
        var result = run(Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", realKey().toString(), "MP_JWT_VERIFY_ISSUER",
                "https://idp.example", "MERIDIAN_TRANSPARENCY_HASH_SECRET_LOCATION",
                Path.of("deploy/dev/transparency-hash-secret").toAbsolutePath().toString()));
        assertThat(result.getKey()).as(result.getValue()).isPositive();
        assertThat(result.getValue()).contains("Refusing to start").contains("development secret");
    }

    private static Path realKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path key = Files.createTempFile("prod-key", ".pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        return key;
    }

    @Test
    void shouldRefuseToStartWithoutAKey() throws Exception {
        var result = run(Map.of());
        assertThat(result.getKey()).as(result.getValue()).isPositive();
        assertThat(result.getValue()).contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION").contains("MP_JWT_VERIFY_ISSUER");
    }

    @Test
    void shouldStartWithARealKeyAndIssuer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path key = Files.createTempFile("prod-key", ".pem");
        Files.writeString(key, pem);
        var result = run(Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toString(), "MP_JWT_VERIFY_ISSUER", "https://idp.example"));
        assertThat(result.getKey()).as(result.getValue()).isEqualTo(-1);
    }
}
