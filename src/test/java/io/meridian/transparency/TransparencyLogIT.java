package io.meridian.transparency;

import io.meridian.PackagedService;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged replicas on one PostgreSQL database: both append, one leads. The leader is killed
 * (SIGKILL) and the other takes over; then the killed one comes back with a new signing key while
 * the other stops. Every head stays consistent with every earlier one, across the leader change,
 * the restart and the key rotation, every plan stays provable, old heads still verify with the old
 * key, and the customer's verifier jar, run as its own process, agrees.
 */
class TransparencyLogIT {

    private static final Map<String, String> FAST = Map.of(
            "MERIDIAN_TRANSPARENCY_TREE_HEAD_INTERVAL", "1s",
            "MERIDIAN_TRANSPARENCY_LEADER_LEASE", "4s",
            "MERIDIAN_TRANSPARENCY_SELF_CHECK_INTERVAL", "2s");

    record Plan(String planId, String entryHash) {
    }

    private final PackagedService.Issuer issuer;
    private final String account = "it-" + Long.toString(System.nanoTime(), 36);
    private final String client;
    private final String admin;

    TransparencyLogIT() throws Exception {
        issuer = new PackagedService.Issuer();
        client = issuer.token("it-client", Roles.MEETING_CLIENT);
        admin = issuer.token("it-admin", Roles.REGION_ADMIN, account);
    }

    @Test
    void headsStayConsistentAcrossALeaderKillARestartAndAKeyRotation() throws Exception {
        // two replicas on one database: an H2 file takes one process only
        PackagedService.requirePostgresql();
        Map<String, String> db = PackagedService.database();
        List<Plan> plans = new ArrayList<>();
        PackagedService a = PackagedService.start(PackagedService.freePort(), issuer, FAST);
        PackagedService b = PackagedService.start(PackagedService.freePort(), issuer, FAST);
        PackagedService restarted = null;
        try {
            for (int i = 0; i < 30; i++) {
                plans.add(plan(i % 2 == 0 ? a : b));
            }
            JsonPath first = headCovering(a, plans);
            for (Plan p : plans) {
                assertIncluded(a, p);
            }
            String firstJson = head(a).asString();

            PackagedService leader = leaderOf(db, a, b);
            PackagedService survivor = leader == a ? b : a;
            leader.kill();
            for (int i = 0; i < 10; i++) {
                plans.add(plan(survivor));
            }
            JsonPath second = headCovering(survivor, plans);
            assertThat(survivor.log()).contains("leads the transparency log");
            assertConsistent(survivor, first, second);
            for (Plan p : plans) {
                assertIncluded(survivor, p);
            }

            // the killed replica comes back with a new signing key; the survivor stops cleanly
            Path newKey = PackagedService.newSigningKey();
            Map<String, String> rotated = new HashMap<>(FAST);
            rotated.put("MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION", newKey.toString());
            restarted = PackagedService.start(PackagedService.freePort(), issuer, rotated);
            survivor.close();
            assertThat(survivor.log()).contains("released the transparency log's lease");
            for (int i = 0; i < 10; i++) {
                plans.add(plan(restarted));
            }
            PackagedService now = restarted;
            JsonPath third = waitFor(() -> head(now).jsonPath(),
                    h -> h.getLong("treeSize") >= second.getLong("treeSize") + 10
                            && !h.getString("keyId").equals(first.getString("keyId")), "a head signed with the new key");
            assertConsistent(restarted, first, third);
            assertConsistent(restarted, second, third);
            Map<String, PublicKey> keys = keys(restarted);
            assertThat(keys).containsKeys(first.getString("keyId"), third.getString("keyId"));
            JsonPath old = RestAssured.given().when().get(restarted.url("/api/v1/transparency/tree-head?size="
                    + first.getLong("treeSize"))).then().statusCode(200).extract().jsonPath();
            assertThat(old.getString("keyId")).isEqualTo(first.getString("keyId"));
            assertThat(TransparencyLogTest.headVerifies(old, "", keys)).as("an old head after the rotation").isTrue();
            for (Plan p : plans) {
                assertIncluded(restarted, p);
            }

            Path saved = Files.createTempFile("saved-head", ".json");
            Files.writeString(saved, firstJson);
            String output = runVerifierJar(restarted, plans.get(0), saved);
            System.out.println("verifier run:\n" + output);
            assertThat(output).contains("verified: plan " + plans.get(0).planId() + " is leaf ")
                    .contains("consistent: the log of size").contains("are one append-only log");

            String metrics = RestAssured.given().header("Accept", "text/plain; version=0.0.4").when()
                    .get(restarted.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
            assertThat(metrics).contains("meridian_transparency_leader 1.0", "meridian_transparency_self_check_failed 0.0");
        } finally {
            for (PackagedService s : new PackagedService[]{a, b, restarted}) {
                if (s != null) {
                    s.kill();
                }
            }
        }
    }

    private Plan plan(PackagedService replica) {
        JsonPath plan = RestAssured.given().auth().oauth2(client).contentType(ContentType.JSON)
                .body("{\"accountId\": \"" + account + "\", \"meetingId\": \"it-meeting\", \"participants\": ["
                        + "{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}, {\"id\": \"b\", \"location\": {\"country\": \"JP\"}}]}")
                .when().post(replica.url("/api/v1/routing-plans")).then().statusCode(200).extract().jsonPath();
        return new Plan(plan.getString("planId"), plan.getString("receipt.entryHash"));
    }

    private static Response head(PackagedService replica) {
        return RestAssured.given().when().get(replica.url("/api/v1/transparency/tree-head")).andReturn();
    }

    /** Waits until the newest head proves every plan (each replica writes within its flush interval). */
    private JsonPath headCovering(PackagedService replica, List<Plan> plans) throws Exception {
        Plan last = plans.get(plans.size() - 1);
        waitFor(() -> inclusion(replica, last), r -> r.statusCode() == 200, "the last plan in a signed head");
        return waitFor(() -> head(replica).jsonPath(), h -> {
            for (Plan p : plans) {
                if (inclusion(replica, p).statusCode() != 200) {
                    return false;
                }
            }
            return true;
        }, "a head with every plan");
    }

    private Response inclusion(PackagedService replica, Plan p) {
        return RestAssured.given().auth().oauth2(admin).when()
                .get(replica.url("/api/v1/transparency/proofs/inclusion?planId=" + p.planId())).andReturn();
    }

    private void assertIncluded(PackagedService replica, Plan p) throws Exception {
        JsonPath proof = inclusion(replica, p).then().statusCode(200).extract().jsonPath();
        assertThat(proof.getString("leafHash")).isEqualTo(p.entryHash());
        byte[] leaf = Rfc9162.leaf(Base64.getDecoder().decode(proof.getString("entry")));
        assertThat(Base64.getEncoder().encodeToString(leaf)).isEqualTo(p.entryHash());
        assertThat(Rfc9162.verifyInclusion(proof.getLong("leafIndex"), proof.getLong("treeSize"), leaf,
                TransparencyLogTest.decode(proof.getList("auditPath")),
                Base64.getDecoder().decode(proof.getString("treeHead.rootHash")))).as(p.planId()).isTrue();
        assertThat(TransparencyLogTest.headVerifies(proof, "treeHead.", keys(replica))).isTrue();
    }

    private static void assertConsistent(PackagedService replica, JsonPath older, JsonPath newer) throws Exception {
        long m = older.getLong("treeSize");
        long n = newer.getLong("treeSize");
        List<byte[]> proof = TransparencyLogTest.decode(RestAssured.given().when()
                .get(replica.url("/api/v1/transparency/proofs/consistency?first=" + m + "&second=" + n))
                .then().statusCode(200).extract().jsonPath().getList("proof"));
        assertThat(Rfc9162.verifyConsistency(m, n, Base64.getDecoder().decode(older.getString("rootHash")),
                Base64.getDecoder().decode(newer.getString("rootHash")), proof)).as("%d -> %d", m, n).isTrue();
        Map<String, PublicKey> keys = keys(replica);
        assertThat(TransparencyLogTest.headVerifies(older, "", keys)).isTrue();
        assertThat(TransparencyLogTest.headVerifies(newer, "", keys)).isTrue();
    }

    private static Map<String, PublicKey> keys(PackagedService replica) {
        Map<String, PublicKey> keys = new HashMap<>();
        for (Map<String, String> k : RestAssured.given().when().get(replica.url("/api/v1/transparency/keys")).then()
                .statusCode(200).extract().jsonPath().<Map<String, String>>getList("keys")) {
            keys.put(k.get("kid"), io.meridian.transparency.log.Ed25519.fromRaw(Base64.getUrlDecoder().decode(k.get("x"))));
        }
        return keys;
    }

    private static PackagedService leaderOf(Map<String, String> db, PackagedService... replicas) throws Exception {
        try (Connection c = DriverManager.getConnection(db.get("QUARKUS_DATASOURCE_JDBC_URL"),
                db.get("QUARKUS_DATASOURCE_USERNAME"), db.get("QUARKUS_DATASOURCE_PASSWORD"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select leader from transparency_state where id = 1")) {
            rs.next();
            String leader = rs.getString(1);
            for (PackagedService r : replicas) {
                if (leader != null && leader.contains("/" + r.pid() + "/")) {
                    return r;
                }
            }
            throw new AssertionError("the leader " + leader + " is none of the replicas");
        }
    }

    private String runVerifierJar(PackagedService replica, Plan plan, Path saved) throws Exception {
        Path jar = null;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "meridian-*-verifier.jar")) {
            for (Path p : jars) {
                jar = p;
            }
        }
        assertThat(jar).as("the verifier jar is built by the package phase").isNotNull();
        Path out = Files.createTempFile("verifier", ".txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--url", replica.url(""), "--plan", plan.planId(), "--entry-hash",
                plan.entryHash(), "--saved-head", saved.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("MERIDIAN_TOKEN", admin);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T waitFor(Probe<T> probe, Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException | AssertionError e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + what + " within 90 s; last: " + last);
    }
}
