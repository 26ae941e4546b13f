package io.meridian.policy;

import io.meridian.security.ProductionStartIT;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A stored policy survives a restart of the packaged service (prod profile, PostgreSQL). */
class PolicyRestartIT {

    private static final String ISSUER = "https://idp.example";

    @Test
    void policiesShouldSurviveARestart() throws Exception {
        var database = ProductionStartIT.database();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path publicKey = Files.createTempFile("restart-key", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        String account = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Jwt.issuer(ISSUER).subject("ops-admin@example").groups(Set.of(Roles.REGION_ADMIN))
                .claim("accounts", List.of(account)).expiresAt(Instant.now().plusSeconds(600)).sign(keys.getPrivate());
        int port = freePort();
        String url = "http://localhost:" + port + "/api/v1/accounts/" + account + "/region-policy";

        Process first = start(port, publicKey, database);
        try {
            RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"blockedRegions\": [\"CN\"], \"allowedRegions\": [\"EU\", \"US\"], \"homeRegion\": \"EU\"}")
                    .when().put(url).then().statusCode(200).header("ETag", "\"1\"");
        } finally {
            stop(first);
        }
        Process second = start(port, publicKey, database);
        try {
            RestAssured.given().auth().oauth2(token).when().get(url).then().statusCode(200)
                    .header("ETag", "\"1\"")
                    .body("blockedRegions", equalTo(List.of("CN")))
                    .body("allowedRegions", equalTo(List.of("EU", "US")))
                    .body("homeRegion", equalTo("EU"))
                    .body("updatedBy", equalTo("ops-admin@example"));
            RestAssured.given().auth().oauth2(token).when().get(url + "/history").then().statusCode(200)
                    .body("action", equalTo(List.of("CREATE")));
        } finally {
            stop(second);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process start(int port, Path publicKey, java.util.Map<String, String> database) throws Exception {
        Path log = Files.createTempFile("restart", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(database);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
        builder.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
        builder.environment().put("MP_JWT_VERIFY_ISSUER", ISSUER);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log);
            if (out.contains("started in")) {
                return process;
            }
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the service stopped:\n" + out);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not start in 60 s:\n" + Files.readString(log));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped cleanly").isTrue();
    }
}
