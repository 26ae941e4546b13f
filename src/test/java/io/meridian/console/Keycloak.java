package io.meridian.console;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenID provider for the console's sign-in: Keycloak's server distribution (unpacked by
 * Maven into target/keycloak, profile console-keycloak) in dev mode with an in-memory database,
 * importing the committed realm {@code deploy/keycloak/meridian-realm.json} (its example origin
 * replaced by the service under test) and test users. Keycloak needs Java 21 or later: the first
 * such JDK under /usr/lib/jvm (Temurin 25 on these machines) runs it.
 */
final class Keycloak implements AutoCloseable {

    static final Path REALM = Path.of("deploy/keycloak/meridian-realm.json");
    private static final Path DISTRIBUTION = Path.of("target/keycloak");
    private static final String EXAMPLE_ORIGIN = "http://localhost:8080";

    /** Where Keycloak is unpacked and the JDK that runs it. */
    record Installation(Path home, Path java) {
    }

    /** A user of the test realm. */
    record User(String username, String password, String role, List<String> accounts) {
    }

    private final Process process;
    private final Path log;
    private final int port;

    private Keycloak(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Skips the calling test (one line) unless the distribution and a Java 21+ JDK are there. */
    static Installation assumeAvailable(String suite) throws IOException {
        Optional<Path> home = home();
        Optional<Path> java = java21();
        if (home.isEmpty() || java.isEmpty()) {
            String missing = home.isEmpty() ? "no Keycloak under target/keycloak (the console-keycloak Maven profile "
                    + "unpacks it where /usr/bin/chromium exists)" : "no JDK 21+ under /usr/lib/jvm for Keycloak";
            System.out.println(suite + " skipped: " + missing);
        }
        Assumptions.assumeTrue(home.isPresent() && java.isPresent(), "needs Keycloak and a JDK 21+");
        return new Installation(home.get(), java.get());
    }

    private static Optional<Path> home() throws IOException {
        if (!Files.isDirectory(DISTRIBUTION)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(DISTRIBUTION)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("bin/kc.sh"))).findFirst();
        }
    }

    private static Optional<Path> java21() throws IOException {
        if (Runtime.version().feature() >= 21) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java"))).filter(d -> feature(d) >= 21)
                    .max(Comparator.comparingInt(Keycloak::feature));
        }
    }

    private static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Starts Keycloak on {@code port} for a console served at {@code consoleOrigin}; does not wait. */
    static Keycloak start(Installation installation, int port, String consoleOrigin, List<User> users) throws IOException {
        Path home = installation.home();
        Path imports = home.resolve("data/import");
        if (Files.isDirectory(imports)) {
            try (Stream<Path> old = Files.list(imports)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(imports);
        Files.writeString(imports.resolve("meridian-realm.json"),
                Files.readString(REALM).replace(EXAMPLE_ORIGIN, consoleOrigin));
        Files.writeString(imports.resolve("meridian-users-0.json"), usersJson(users), StandardCharsets.UTF_8);
        Path log = Files.createTempFile("keycloak", ".log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-management-port=" + freePort(), "--db=dev-mem", "--import-realm",
                "--hostname-strict=false")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", installation.java().toString());
        builder.environment().put("JAVA_OPTS_APPEND", "-Xms64m -Xmx512m");
        return new Keycloak(builder.start(), log, port);
    }

    private static int freePort() throws IOException {
        return io.meridian.PackagedService.freePort();
    }

    private static String usersJson(List<User> users) {
        StringBuilder json = new StringBuilder("{\"realm\": \"meridian\", \"users\": [");
        for (int i = 0; i < users.size(); i++) {
            User u = users.get(i);
            String accounts = String.join(", ", u.accounts().stream().map(a -> "\"" + a + "\"").toList());
            // the id (the tokens' sub, which names the caller in policy history) readable for the screenshots
            json.append(i == 0 ? "" : ", ").append("{\"id\": \"").append(u.username()).append("\", \"username\": \"")
                    .append(u.username())
                    .append("\", \"enabled\": true, \"email\": \"").append(u.username()).append("@example.com\", ")
                    .append("\"emailVerified\": true, \"firstName\": \"").append(u.username())
                    .append("\", \"lastName\": \"Tester\", \"attributes\": {\"accounts\": [").append(accounts).append("]}, ")
                    .append("\"credentials\": [{\"type\": \"password\", \"value\": \"").append(u.password())
                    .append("\", \"temporary\": false}], \"realmRoles\": [\"default-roles-meridian\", \"")
                    .append(u.role()).append("\"]}");
        }
        return json.append("]}").toString();
    }

    /** Waits until Keycloak has started (its first start builds itself: minutes on a loaded machine). */
    Keycloak awaitStarted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(420);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log);
            if (output.contains("Listening on:")) {
                if (!output.contains("Realm 'meridian' imported")) {
                    throw new AssertionError("Keycloak did not import the realm:\n" + tail(output));
                }
                return this;
            }
            if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Keycloak stopped:\n" + tail(output));
            }
        }
        throw new AssertionError("Keycloak did not start in 420 s:\n" + tail(Files.readString(log)));
    }

    String issuer() {
        return "http://localhost:" + port + "/realms/meridian";
    }

    String jwks() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
