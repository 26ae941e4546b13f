package io.meridian;

import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service started as a separate process in the prod profile, trusting a key pair made
 * for the test. For tests that need real processes: restarts, shutdown, several replicas.
 *
 * <p>Where {@code MERIDIAN_IT_PG_URL} names a PostgreSQL database (the PostgreSQL stage of
 * {@code .ci/run}), this is the real build, {@code target/quarkus-app}, on that database. Elsewhere
 * it is the same service built for H2 ({@code target/h2-app}, profiles prod and h2; the database
 * kind is fixed at build time) on an H2 file in a directory of this test run, so that
 * {@code ./mvnw verify} runs these tests on a machine with nothing but a JDK. Tests whose claim
 * rests on PostgreSQL itself call {@link #requirePostgresql()}.
 */
public final class PackagedService implements AutoCloseable {

    public static final String ISSUER = "https://idp.example";

    /** A token issuer for these services: a fresh key pair and its public key file. */
    public static final class Issuer {
        private final KeyPair keys;
        private final Path publicKey;

        public Issuer() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            publicKey = Files.createTempFile("it-key", ".pem");
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        }

        public String token(String subject, String role, String... accounts) {
            return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(role)).claim("accounts", List.of(accounts))
                    .expiresAt(Instant.now().plusSeconds(3600)).sign(keys.getPrivate());
        }
    }

    private static Map<String, String> transparencyKeys;

    /**
     * Settings of the transparency log's keys for packaged runs: one Ed25519 signing key and one hash
     * secret per test JVM, shared by every replica and restart (a secret that changed would change
     * the keyed hashes). Tests that rotate the key override the signing key's location.
     */
    public static synchronized Map<String, String> transparencyKeys() throws IOException {
        if (transparencyKeys == null) {
            Path secret = Files.createTempFile("it-hash-secret", "");
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            Files.writeString(secret, java.util.Base64.getEncoder().encodeToString(bytes) + "\n");
            transparencyKeys = Map.of("MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION", newSigningKey().toString(),
                    "MERIDIAN_TRANSPARENCY_HASH_SECRET_LOCATION", secret.toString());
        }
        return transparencyKeys;
    }

    /** A fresh Ed25519 private key in a PEM file (PKCS#8), as {@code openssl genpkey -algorithm ed25519} writes. */
    public static Path newSigningKey() throws IOException {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path file = Files.createTempFile("it-signing-key", ".pem");
            Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64,
                    "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            return file;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private PackagedService(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Ports this test JVM handed out already. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free now and never handed out before in this JVM: the system may offer a port just
     * released again, and a service's HTTP and management ports, or two replicas, must differ. Given
     * the same port for both, a service starts anyway (Vert.x shares one listening socket between
     * its servers of one port) and the two interfaces take turns at its connections: a crash test
     * once saw its DELETE answered 404 by the management interface.
     */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /** Starts the service on {@code port} and waits until it has started (60 s at most). */
    public static PackagedService start(int port, Issuer issuer) throws Exception {
        return start(port, issuer, Map.of());
    }

    /** Starts the service with extra environment settings (e.g. {@code MERIDIAN_RECORDS_FLUSH_INTERVAL}). */
    public static PackagedService start(int port, Issuer issuer, Map<String, String> settings) throws Exception {
        Path log = Files.createTempFile("packaged-service", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar().toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(database());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        int managementPort = freePort();
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", issuer.publicKey.toString());
        builder.environment().put("MP_JWT_VERIFY_ISSUER", ISSUER);
        builder.environment().putAll(transparencyKeys());
        builder.environment().putAll(settings);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("started in")) {
                return new PackagedService(process, port, managementPort, log);
            }
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the service stopped:\n" + Files.readString(log));
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not start in 60 s:\n" + Files.readString(log));
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A URL on the management interface (health, metrics). */
    public String managementUrl(String path) {
        return "http://localhost:" + managementPort + path;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** The process id (it appears in the replica's id, e.g. as the transparency log's leader). */
    public long pid() {
        return process.pid();
    }

    /** Kills the process at once (SIGKILL): no shutdown hook, no flush, no lease given back. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the service gracefully (SIGTERM) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 30 s");
        }
    }

    /** Whether these tests run on PostgreSQL ({@code MERIDIAN_IT_PG_URL} set) rather than H2. */
    public static boolean onPostgresql() {
        String url = System.getenv("MERIDIAN_IT_PG_URL");
        return url != null && !url.isBlank();
    }

    /** Skips the calling test unless it runs on PostgreSQL, saying how to run it. */
    public static void requirePostgresql() {
        if (!onPostgresql()) {
            String how = "Skipped, PostgreSQL only: run with MERIDIAN_IT_PG_URL=jdbc:postgresql://localhost:5432/meridian_it "
                    + "./mvnw verify (set-up: docs/operations.md)";
            System.out.println(how);
            Assumptions.abort(how);
        }
    }

    /** The packaged service's runner: the real build on PostgreSQL, the H2 build elsewhere. */
    public static Path jar() {
        Path jar = Path.of(onPostgresql() ? "target/quarkus-app" : "target/h2-app", "quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: run these tests through ./mvnw verify, which builds it");
        }
        return jar;
    }

    /**
     * Database settings of the packaged service: {@code MERIDIAN_IT_PG_URL} / {@code _USER} /
     * {@code _PASSWORD}, or the H2 directory of this test run (one for all services it starts, so a
     * restarted service finds what the first one stored).
     */
    public static Map<String, String> database() {
        if (onPostgresql()) {
            return Map.of("QUARKUS_DATASOURCE_JDBC_URL", System.getenv("MERIDIAN_IT_PG_URL"),
                    "QUARKUS_DATASOURCE_USERNAME", System.getenv().getOrDefault("MERIDIAN_IT_PG_USER", "meridian"),
                    "QUARKUS_DATASOURCE_PASSWORD", System.getenv().getOrDefault("MERIDIAN_IT_PG_PASSWORD", "meridian"));
        }
        return Map.of("MERIDIAN_IT_H2_DIR", H2Directory.PATH.toString());
    }

    /** A fresh directory per test run for the H2 build's database file, made on first use. */
    private static final class H2Directory {
        static final Path PATH = create();

        private static Path create() {
            try {
                return Files.createTempDirectory("meridian-it-h2").toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
