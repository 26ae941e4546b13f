package io.meridian.transparency;

import io.meridian.records.RoutingRecords;
import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.meridian.transparency.verifier.VerifierAccess;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer's verifier (io.meridian.transparency.verifier.Verify) against the running service. */
@QuarkusTest
class VerifierTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    TransparencyLog log;

    @Inject
    RoutingRecords records;

    record Run(int status, String output) {
    }

    Run verify(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", base.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = VerifierAccess.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                null);
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }

    JsonPath loggedPlan(String account, String meeting) {
        JsonPath plan = TransparencyLogTest.plan(account, meeting);
        records.flush(Duration.ofSeconds(10));
        log.step();
        return plan;
    }

    @Test
    void verifiesAPlanAndChecksConsistencyWithASavedHead() throws Exception {
        String account = TransparencyLogTest.account();
        JsonPath plan = loggedPlan(account, "standup");
        String token = Tokens.token(Roles.REGION_ADMIN, account);
        String hashKey = Tokens.as(Roles.REGION_ADMIN, account).when()
                .get("/api/v1/transparency/accounts/" + account + "/hash-key").then().statusCode(200).extract().path("hashKey");
        Path saved = Files.createTempFile("head", ".json");
        Run first = verify("--plan", plan.getString("planId"), "--token", token, "--entry-hash",
                plan.getString("receipt.entryHash"), "--hash-key", hashKey, "--meeting", "standup", "--save-head", saved.toString());
        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("verified: plan " + plan.getString("planId") + " is leaf ")
                .contains("account:  the entry is the account's").contains("of meeting standup")
                .contains("entry:    plan " + plan.getString("planId"));

        String later = loggedPlan(account, "standup").getString("planId");
        Run second = verify("--plan", later, "--token", token, "--saved-head", saved.toString());
        assertThat(second.status()).as(second.output()).isZero();
        assertThat(second.output()).contains("consistent: the log of size").contains("are one append-only log");

        // pinned keys: the service's own set works, a set without its key does not
        Path keys = Files.createTempFile("keys", ".json");
        Files.writeString(keys, given().when().get("/api/v1/transparency/keys").then().extract().asString());
        assertThat(verify("--plan", later, "--token", token, "--keys", keys.toString()).status()).isZero();
        Files.writeString(keys, "{\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": "
                + "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\", \"kid\": \"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k\"}]}");
        Run untrusted = verify("--plan", later, "--token", token, "--keys", keys.toString());
        assertThat(untrusted.status()).isEqualTo(1);
        assertThat(untrusted.output()).contains("FAILED: the head is signed by key").contains("not among the trusted keys");
    }

    @Test
    void saysExactlyWhatFailed() throws Exception {
        String account = TransparencyLogTest.account();
        JsonPath plan = loggedPlan(account, "m");
        String token = Tokens.token(Roles.OPS);
        String planId = plan.getString("planId");

        Run wrongHash = verify("--plan", planId, "--token", token, "--entry-hash", Base64.getEncoder().encodeToString(new byte[32]));
        assertThat(wrongHash.status()).isEqualTo(1);
        assertThat(wrongHash.output()).contains("FAILED: the log's entry has hash");

        String otherKey = Tokens.as(Roles.OPS).when().get("/api/v1/transparency/accounts/other/hash-key").then()
                .extract().path("hashKey");
        Run otherAccount = verify("--plan", planId, "--token", token, "--hash-key", otherKey);
        assertThat(otherAccount.status()).isEqualTo(1);
        assertThat(otherAccount.output()).contains("FAILED: the entry is not of the account of this hash key");

        // a saved head whose root was altered: its signature gives it away
        Path saved = Files.createTempFile("head", ".json");
        JsonPath head = given().when().get("/api/v1/transparency/tree-head").then().extract().jsonPath();
        String json = given().when().get("/api/v1/transparency/tree-head").then().extract().asString()
                .replace(head.getString("rootHash"), Base64.getEncoder().encodeToString(new byte[32]));
        Files.writeString(saved, json);
        Run forged = verify("--plan", planId, "--token", token, "--saved-head", saved.toString());
        assertThat(forged.status()).isEqualTo(1);
        assertThat(forged.output()).contains("FAILED: the signature of the saved head");

        Run foreign = verify("--plan", planId, "--token", Tokens.token(Roles.REGION_ADMIN, "someone-else"));
        assertThat(foreign.status()).isEqualTo(2);
        assertThat(foreign.output()).contains("answered 404");

        Run usage = verify("--plan", planId, "--leaf", "3");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.output()).contains("give --plan or --leaf").contains("usage: java -jar meridian-verifier.jar");
    }
}
