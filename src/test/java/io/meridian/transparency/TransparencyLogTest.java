package io.meridian.transparency;

import io.meridian.records.PlanIds;
import io.meridian.records.RecordStore;
import io.meridian.records.RoutingRecord;
import io.meridian.records.RoutingRecords;
import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.EntryFormat;
import io.meridian.transparency.log.LogEntry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The transparency log end to end on the embedded database: plans in, receipts, sequencing and
 * signing, proofs out, each checked with the test's own RFC 9162 code and the JDK's Ed25519; the
 * API's answers to bad input; keys and their rotation; retention; and the self-check catching a
 * changed, a deleted and two swapped entries.
 */
@QuarkusTest
class TransparencyLogTest {

    private static final String BASE = "/api/v1/transparency";

    @Inject
    TransparencyLog log;

    @Inject
    RoutingRecords records;

    @Inject
    SelfCheck selfCheck;

    @Inject
    TransparencyKeys keys;

    @Inject
    DataSource dataSource;

    @Inject
    RecordStore recordStore;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health/well", management = true)
    URL wellness;

    @AfterEach
    void forgetTampering() {
        selfCheck.reset();
    }

    static String account() {
        return "tl-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonPath plan(String account, String meeting) {
        String body = "{" + (account == null ? "" : "\"accountId\": \"" + account + "\", ")
                + (meeting == null ? "" : "\"meetingId\": \"" + meeting + "\", ")
                + "\"blockedRegions\": [\"CN\"], \"participants\": [{\"id\": \"alice\", \"location\": {\"country\": \"DE\"}}, "
                + "{\"id\": \"bob\", \"location\": {\"country\": \"US\"}}]}";
        return Tokens.asClient().contentType(ContentType.JSON).body(body).when().post("/api/v1/routing-plans")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Writes what is queued and runs one leader step, as the schedule does every interval. */
    JsonPath sequenceAndSign() {
        assertThat(records.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(log.step()).isPresent();
        return given().when().get(BASE + "/tree-head").then().statusCode(200).extract().jsonPath();
    }

    static Map<String, PublicKey> jwks() {
        Map<String, PublicKey> keys = new java.util.HashMap<>();
        for (Map<String, String> k : given().when().get(BASE + "/keys").then().statusCode(200)
                .body("keys[0].kty", equalTo("OKP")).extract().jsonPath().<Map<String, String>>getList("keys")) {
            byte[] raw = Base64.getUrlDecoder().decode(k.get("x"));
            assertThat(k.get("kid")).as("kid is the RFC 7638 thumbprint").isEqualTo(thumbprint(k.get("x")));
            keys.put(k.get("kid"), Ed25519.fromRaw(raw));
        }
        return keys;
    }

    static String thumbprint(String x) {
        String json = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Rfc9162.sha256(json.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A head's signature checked with the JDK over bytes built here from the documented layout. */
    static boolean headVerifies(JsonPath head, String prefix, Map<String, PublicKey> keys) throws Exception {
        String logId = head.getString(prefix + "logId");
        String keyId = head.getString(prefix + "keyId");
        ByteBuffer bytes = ByteBuffer.allocate(2 + 1 + logId.length() + 1 + keyId.length() + 16 + 32);
        bytes.put((byte) 1).put((byte) 1).put((byte) logId.length()).put(logId.getBytes(StandardCharsets.US_ASCII))
                .put((byte) keyId.length()).put(keyId.getBytes(StandardCharsets.US_ASCII))
                .putLong(head.getLong(prefix + "timestampMillis")).putLong(head.getLong(prefix + "treeSize"))
                .put(Base64.getDecoder().decode(head.getString(prefix + "rootHash")));
        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        PublicKey key = keys.get(keyId);
        if (key == null) {
            return false;
        }
        jdk.initVerify(key);
        jdk.update(bytes.array());
        return jdk.verify(Base64.getDecoder().decode(head.getString(prefix + "signature")));
    }

    static List<byte[]> decode(List<String> hashes) {
        List<byte[]> out = new ArrayList<>();
        hashes.forEach(h -> out.add(Base64.getDecoder().decode(h)));
        return out;
    }

    /** Checks an inclusion proof with the test's own code; returns the decoded entry. */
    static LogEntry verified(JsonPath proof) throws Exception {
        byte[] entry = Base64.getDecoder().decode(proof.getString("entry"));
        byte[] leaf = Rfc9162.leaf(entry);
        assertThat(Base64.getEncoder().encodeToString(leaf)).isEqualTo(proof.getString("leafHash"));
        assertThat(proof.getLong("treeSize")).isEqualTo(proof.getLong("treeHead.treeSize"));
        assertThat(Rfc9162.verifyInclusion(proof.getLong("leafIndex"), proof.getLong("treeSize"), leaf,
                decode(proof.getList("auditPath")), Base64.getDecoder().decode(proof.getString("treeHead.rootHash"))))
                .as("the audit path leads to the signed root").isTrue();
        assertThat(headVerifies(proof, "treeHead.", jwks())).as("the head's signature").isTrue();
        return EntryFormat.decode(entry);
    }

    static Response inclusion(String role, String query, String... accounts) {
        return Tokens.as(role, accounts).when().get(BASE + "/proofs/inclusion?" + query).andReturn();
    }

    @Test
    void aPlanIsReceiptedSequencedSignedAndProvenToItsAccount() throws Exception {
        String account = account();
        JsonPath plan = plan(account, "weekly-sync-42");
        String planId = plan.getString("planId");
        assertThat(plan.getString("receipt.planId")).isEqualTo(planId);
        assertThat(plan.getString("receipt.leafIndex")).isNull();
        String entryHash = plan.getString("receipt.entryHash");

        records.flush(Duration.ofSeconds(10));
        // written, not yet sequenced: a clear 404 with a retry hint
        inclusion(Roles.OPS, "planId=" + planId).then().statusCode(404)
                .body("type", endsWith("/problems/not-yet-sequenced")).header("Retry-After", notNullValue());

        JsonPath head = sequenceAndSign();
        JsonPath proof = inclusion(Roles.REGION_ADMIN, "planId=" + planId, account).then().statusCode(200)
                .extract().jsonPath();
        assertThat(proof.getString("leafHash")).as("the receipt's hash is the leaf hash").isEqualTo(entryHash);
        assertThat(proof.getLong("treeSize")).isEqualTo(head.getLong("treeSize"));
        LogEntry entry = verified(proof);
        assertThat(entry.factId()).isEqualTo(planId);
        assertThat(entry.timeMillis()).isEqualTo(PlanIds.timeOf(planId));
        LogEntry.PlanBody body = (LogEntry.PlanBody) entry.body();
        assertThat(body.participants()).isEqualTo(2);
        assertThat(body.regionsUsed()).isEqualTo(plan.getList("regionsUsed"));
        assertThat(body.policy().blocked()).containsExactly("CN");

        // the account recognises its entry with its own key, computed here from the key alone
        JsonPath key = Tokens.as(Roles.REGION_ADMIN, account).when()
                .get(BASE + "/accounts/" + account + "/hash-key?meetingId=weekly-sync-42").then().statusCode(200)
                .extract().jsonPath();
        byte[] ka = Base64.getDecoder().decode(key.getString("hashKey"));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(ka, "HmacSHA256"));
        assertThat(entry.accountHash().orElseThrow().bytes()).isEqualTo(mac.doFinal("account".getBytes()));
        assertThat(entry.meetingHash().orElseThrow().bytes()).isEqualTo(mac.doFinal("meeting:weekly-sync-42".getBytes()));
        assertThat(key.getString("meetingHash")).isEqualTo(entry.meetingHash().get().base64());
        String bytes = new String(Base64.getDecoder().decode(proof.getString("entry")), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as("no participant, account or meeting id in the clear")
                .doesNotContain("alice", "bob", account, "weekly-sync-42");

        // the same by leaf index, for ops
        inclusion(Roles.OPS, "leafIndex=" + proof.getLong("leafIndex")).then().statusCode(200)
                .body("planId", equalTo(planId)).body("leafHash", equalTo(entryHash));
    }

    @Test
    void betweenHeadsTheLeaderSequencesWithoutSigningAndTheNextHeadProvesIt() throws Exception {
        JsonPath before = sequenceAndSign();
        String planId = plan(account(), null).getString("planId");
        assertThat(records.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(log.store().pendingCount()).isPositive();

        assertThat(log.sequencePending()).as("entries sequenced between heads").isPositive();
        assertThat(log.store().pendingCount()).as("nothing left pending").isZero();
        assertThat(log.sequencePending()).as("with nothing pending, nothing to do").isZero();
        assertThat(given().when().get(BASE + "/tree-head").then().statusCode(200).extract().jsonPath()
                .getLong("treeSize")).as("no head signed").isEqualTo(before.getLong("treeSize"));
        // a leaf, but in no signed head yet: the same answer as for an entry still pending
        inclusion(Roles.OPS, "planId=" + planId).then().statusCode(404)
                .body("type", endsWith("/problems/not-yet-sequenced")).header("Retry-After", notNullValue());

        JsonPath head = sequenceAndSign();
        assertThat(head.getLong("treeSize")).isGreaterThan(before.getLong("treeSize"));
        JsonPath proof = inclusion(Roles.OPS, "planId=" + planId).then().statusCode(200).extract().jsonPath();
        assertThat(verified(proof).factId()).isEqualTo(planId);
        assertThat(proof.getLong("leafIndex")).isGreaterThanOrEqualTo(before.getLong("treeSize"));
    }

    @Test
    void entriesAreVisibleOnlyToTheirAccountAndOps() {
        String account = account();
        String planId = plan(account, "m-1").getString("planId");
        String anonymous = plan(null, null).getString("planId");
        sequenceAndSign();
        long index = inclusion(Roles.OPS, "planId=" + planId).then().statusCode(200).extract().jsonPath().getLong("leafIndex");
        inclusion(Roles.REGION_ADMIN, "planId=" + planId, "someone-else").then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        inclusion(Roles.REGION_ADMIN, "leafIndex=" + index, "someone-else").then().statusCode(403);
        inclusion(Roles.REGION_ADMIN, "planId=" + anonymous, account).then().statusCode(404);
        inclusion(Roles.OPS, "planId=" + anonymous).then().statusCode(200);
        inclusion(Roles.MEETING_CLIENT, "planId=" + planId).then().statusCode(403);
        given().when().get(BASE + "/proofs/inclusion?planId=" + planId).then().statusCode(401);
        Tokens.as(Roles.REGION_ADMIN, "someone-else").when().get(BASE + "/accounts/" + account + "/hash-key")
                .then().statusCode(403);
        Tokens.as(Roles.OPS).when().get(BASE + "/accounts/" + account + "/hash-key").then().statusCode(200);
        // heads, consistency proofs and keys are public
        given().when().get(BASE + "/tree-head").then().statusCode(200);
        given().when().get(BASE + "/proofs/consistency?first=1&second=1").then().statusCode(200);
        given().when().get(BASE + "/keys").then().statusCode(200);
    }

    @Test
    void consistencyProofsVerifyBetweenAnyTwoHeads() throws Exception {
        List<JsonPath> heads = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i <= round * 7; i++) {
                plan(account(), null);
            }
            heads.add(sequenceAndSign());
        }
        Map<String, PublicKey> keys = jwks();
        for (JsonPath a : heads) {
            for (JsonPath b : heads) {
                long m = a.getLong("treeSize");
                long n = b.getLong("treeSize");
                if (m > n) {
                    continue;
                }
                JsonPath proof = given().when().get(BASE + "/proofs/consistency?first=" + m + "&second=" + n)
                        .then().statusCode(200).extract().jsonPath();
                byte[] first = Base64.getDecoder().decode(given().when().get(BASE + "/tree-head?size=" + m).then()
                        .statusCode(200).extract().jsonPath().getString("rootHash"));
                assertThat(Base64.getDecoder().decode(a.getString("rootHash"))).isEqualTo(first);
                assertThat(Rfc9162.verifyConsistency(m, n, first, Base64.getDecoder().decode(b.getString("rootHash")),
                        decode(proof.getList("proof")))).as("%d -> %d", m, n).isTrue();
                assertThat(headVerifies(b, "", keys)).isTrue();
            }
        }
    }

    @Test
    void badSizesIndicesAndIdsAnswer400AndSizesBeyondTheLog404() {
        sequenceAndSign();
        long newest = given().when().get(BASE + "/tree-head").then().extract().jsonPath().getLong("treeSize");
        for (String bad : List.of("-1", "abc", "1e3", "+1", " 1", "1.0", "0x10", "99999999999999999999", "%00", "",
                "١")) {
            given().when().get(BASE + "/tree-head?size=" + bad).then().log().ifValidationFails().statusCode(400)
                    .body("type", endsWith("/problems/invalid-request")).body("errors[0].field", equalTo("size"));
            given().when().get(BASE + "/proofs/consistency?first=" + bad + "&second=1").then().statusCode(400);
            inclusion(Roles.OPS, "leafIndex=" + bad).then().statusCode(400);
        }
        given().when().get(BASE + "/tree-head?size=1&size=2").then().statusCode(400)
                .body("errors[0].message", equalTo("is given 2 times; give it once"));
        given().when().get(BASE + "/tree-head?size=" + (newest + 1)).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        given().when().get(BASE + "/proofs/consistency?first=0&second=1").then().statusCode(400);
        given().when().get(BASE + "/proofs/consistency?first=2&second=1").then().statusCode(400)
                .body("errors[0].field", equalTo("second"));
        given().when().get(BASE + "/proofs/consistency?second=1").then().statusCode(400)
                .body("errors[0].field", equalTo("first"));
        given().when().get(BASE + "/proofs/consistency?first=1&second=" + (newest + 1)).then().statusCode(404);
        given().when().get(BASE + "/proofs/consistency?first=1&second=" + Long.MAX_VALUE).then().statusCode(404);
        inclusion(Roles.OPS, "treeSize=1").then().statusCode(400).body("errors[0].message", equalTo("give exactly one of planId and leafIndex"));
        inclusion(Roles.OPS, "planId=01KMB2ZQVBXJ4ZN0K8E5T6W7AB&leafIndex=0").then().statusCode(400);
        for (String bad : List.of("01kmb2zqvbxj4zn0k8e5t6w7ab", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ", "01KMB2ZQVBXJ4ZN0K8E5T6W7A",
                "01KMB2ZQVBXJ4ZN0K8E5T6W7AI", "01KMB2ZQVBXJ4ZN0K8E5T6W7A%00", "01KMB2ZQVBXJ4ZN0K8E5T6W7Aı")) {
            inclusion(Roles.OPS, "planId=" + bad).then().statusCode(400).body("errors[0].field", equalTo("planId"));
        }
        inclusion(Roles.OPS, "leafIndex=0&treeSize=0").then().statusCode(400);
        inclusion(Roles.OPS, "leafIndex=5&treeSize=5").then().statusCode(400).body("errors[0].field", equalTo("leafIndex"));
        inclusion(Roles.OPS, "leafIndex=" + newest).then().statusCode(404).body("type", endsWith("/problems/not-yet-sequenced"));
        inclusion(Roles.OPS, "leafIndex=0&treeSize=" + (newest + 1)).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        // an old, unknown plan: not found (no retry hint); a fresh unknown one: worth a retry
        inclusion(Roles.OPS, "planId=" + PlanIds.next(System.currentTimeMillis() - 86_400_000L)).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        inclusion(Roles.OPS, "planId=" + PlanIds.next(System.currentTimeMillis())).then().statusCode(404)
                .body("type", endsWith("/problems/not-yet-sequenced"));
        Tokens.as(Roles.OPS).when().get(BASE + "/accounts/bad%00id/hash-key").then().statusCode(400);
        Tokens.as(Roles.OPS).when().get(BASE + "/accounts/acme/hash-key?meetingId=%00").then().statusCode(400);
    }

    @Test
    void aProofAgainstAnOlderHeadUsesThatHead() throws Exception {
        String planId = plan(account(), null).getString("planId");
        JsonPath older = sequenceAndSign();
        plan(account(), null);
        sequenceAndSign();
        JsonPath proof = inclusion(Roles.OPS, "planId=" + planId + "&treeSize=" + older.getLong("treeSize"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(proof.getString("treeHead.rootHash")).isEqualTo(older.getString("rootHash"));
        verified(proof);
    }

    @Test
    void aRotatedKeySignsNewHeadsWhileOldHeadsStillVerify() throws Exception {
        plan(account(), null);
        JsonPath old = sequenceAndSign();
        String oldKey = old.getString("keyId");
        Optional<LogLeader.SigningKey> before = keys.signingKey();
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] raw = Ed25519.raw(pair.getPublic());
        try {
            keys.rotate(new LogLeader.SigningKey(pair.getPrivate(), raw, Ed25519.keyId(raw)));
            plan(account(), null);
            JsonPath fresh = sequenceAndSign();
            assertThat(fresh.getString("keyId")).isEqualTo(Ed25519.keyId(raw)).isNotEqualTo(oldKey);
            Map<String, PublicKey> keySet = jwks();
            assertThat(keySet).containsKeys(oldKey, Ed25519.keyId(raw));
            JsonPath again = given().when().get(BASE + "/tree-head?size=" + old.getLong("treeSize")).then()
                    .statusCode(200).extract().jsonPath();
            assertThat(headVerifies(again, "", keySet)).as("the old head, signed by the old key").isTrue();
            assertThat(again.getString("keyId")).isEqualTo(oldKey);
            assertThat(headVerifies(fresh, "", keySet)).isTrue();
            assertThat(selfCheck.run()).isEmpty();
        } finally {
            keys.rotate(before.orElseThrow());
            plan(account(), null);
            sequenceAndSign();
        }
    }

    @Test
    void theEntryStatesThePolicyVersionItObeyed() throws Exception {
        String account = account();
        String admin = Tokens.token(Roles.REGION_ADMIN, account);
        String etag = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"blockedRegions\": [\"JP\"]}")
                .when().put("/api/v1/accounts/" + account + "/region-policy").then().statusCode(200).extract().header("ETag");
        String first = plan(account, "m").getString("planId");
        given().auth().oauth2(admin).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"blockedRegions\": [\"JP\", \"SG\"]}").when().put("/api/v1/accounts/" + account + "/region-policy")
                .then().statusCode(200);
        String second = plan(account, "m").getString("planId");
        sequenceAndSign();
        LogEntry.PlanBody a = (LogEntry.PlanBody) verified(inclusion(Roles.OPS, "planId=" + first).then().statusCode(200)
                .extract().jsonPath()).body();
        LogEntry.PlanBody b = (LogEntry.PlanBody) verified(inclusion(Roles.OPS, "planId=" + second).then().statusCode(200)
                .extract().jsonPath()).body();
        assertThat(a.policy().sources()).containsExactly(new LogEntry.Source(LogEntry.SourceType.REQUEST, 0),
                new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 1));
        assertThat(b.policy().sources()).containsExactly(new LogEntry.Source(LogEntry.SourceType.REQUEST, 0),
                new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 2));
        assertThat(b.policy().blocked()).containsExactly("CN", "JP", "SG");
    }

    @Test
    void aReservingPlanAndItsReplayCarryTheSameReceipt() {
        String body = "{\"reserve\": true, \"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"BR\"}}]}";
        String key = UUID.randomUUID().toString();
        JsonPath first = Tokens.asClient().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/routing-plans").then().statusCode(200).body("receipt.leafIndex", nullValue())
                .extract().jsonPath();
        Tokens.asClient().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/routing-plans").then().statusCode(200)
                .body("receipt.entryHash", equalTo(first.getString("receipt.entryHash")))
                .body("receipt.planId", equalTo(first.getString("planId")));
        sequenceAndSign();
        inclusion(Roles.OPS, "planId=" + first.getString("planId")).then().statusCode(200)
                .body("leafHash", equalTo(first.getString("receipt.entryHash")));
        Tokens.asClient().when().delete("/api/v1/reservations/" + first.getString("reservation.id")).then().statusCode(204);
    }

    @Test
    void retentionDropsEntryBodiesAndKeepsEverythingProvable() throws Exception {
        long old = System.currentTimeMillis() - Duration.ofDays(40).toMillis();
        String planId = PlanIds.next(old);
        String account = account();
        records.record(new RoutingRecord(planId, old, account, "old-meeting", "SINGLE", 1,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.empty(), List.of(), null));
        JsonPath before = sequenceAndSign();
        String leafHash = inclusion(Roles.OPS, "planId=" + planId).then().statusCode(200).extract().path("leafHash");

        assertThat(records.removeOlderThan(System.currentTimeMillis() - Duration.ofDays(30).toMillis())).isPositive();
        plan(account(), null);
        JsonPath after = sequenceAndSign();
        JsonPath proof = inclusion(Roles.REGION_ADMIN, "planId=" + planId, account).then().statusCode(200)
                .body("entry", nullValue()).extract().jsonPath();
        assertThat(proof.getString("leafHash")).isEqualTo(leafHash);
        assertThat(Rfc9162.verifyInclusion(proof.getLong("leafIndex"), proof.getLong("treeSize"),
                Base64.getDecoder().decode(leafHash), decode(proof.getList("auditPath")),
                Base64.getDecoder().decode(proof.getString("treeHead.rootHash")))).isTrue();
        long m = before.getLong("treeSize");
        long n = after.getLong("treeSize");
        List<byte[]> consistency = decode(given().when().get(BASE + "/proofs/consistency?first=" + m + "&second=" + n)
                .then().statusCode(200).extract().jsonPath().getList("proof"));
        assertThat(Rfc9162.verifyConsistency(m, n, Base64.getDecoder().decode(before.getString("rootHash")),
                Base64.getDecoder().decode(after.getString("rootHash")), consistency)).isTrue();
        assertThat(selfCheck.run()).isEmpty();
    }

    /** Entries stored in one batch row: retention drops the old one's bytes and keeps the other's. */
    @Test
    void anEntryPendingAgainInAnotherBatchKeepsItsOneLeaf() throws Exception {
        long now = System.currentTimeMillis();
        String account = account();
        RoutingRecord first = new RoutingRecord(PlanIds.next(now), now, account, "m", "SINGLE", 1,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.empty(), List.of(), null);
        // an older fact, so its id is the smaller: the retried batch's key (its smallest id) is not the first one's
        RoutingRecord second = new RoutingRecord(PlanIds.next(now - 60_000), now - 60_000, account, "m", "SINGLE", 1,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.empty(), List.of(), null);
        recordStore.insert(List.of(first), false);
        long size = sequenceAndSign().getLong("treeSize");
        long firstLeaf = inclusion(Roles.OPS, "planId=" + first.planId()).then().statusCode(200).extract()
                .jsonPath().getLong("leafIndex");

        // a writer batch whose commit outcome was unknown, retried as part of a batch made up differently
        recordStore.insert(List.of(first, second), true);
        JsonPath head = sequenceAndSign();

        assertThat(head.getLong("treeSize")).as("one new leaf: the second entry's").isEqualTo(size + 1);
        assertThat(inclusion(Roles.OPS, "planId=" + first.planId()).then().statusCode(200).extract().jsonPath()
                .getLong("leafIndex")).isEqualTo(firstLeaf);
        assertThat(verified(inclusion(Roles.OPS, "planId=" + second.planId()).then().statusCode(200).extract()
                .jsonPath()).factId()).isEqualTo(second.planId());
        assertThat(given().when().get(metrics).then().statusCode(200).extract().asString())
                .contains("meridian_transparency_unsequenced_entries 0.0");
        assertThat(selfCheck.run()).isEmpty();
    }

    @Test
    void retentionOfPartOfABatchKeepsTheRestOfItsEntries() {
        long old = System.currentTimeMillis() - Duration.ofDays(40).toMillis();
        long now = System.currentTimeMillis();
        String account = account();
        RoutingRecord gone = new RoutingRecord(PlanIds.next(old), old, account, "m", "SINGLE", 1,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.empty(), List.of(), null);
        RoutingRecord kept = new RoutingRecord(PlanIds.next(now), now, account, "m", "SINGLE", 1,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.empty(), List.of(), null);
        recordStore.insert(List.of(kept, gone), false);
        sequenceAndSign();

        assertThat(records.removeOlderThan(now - Duration.ofDays(30).toMillis())).isPositive();

        inclusion(Roles.OPS, "planId=" + gone.planId()).then().statusCode(200).body("entry", nullValue());
        String entry = inclusion(Roles.OPS, "planId=" + kept.planId()).then().statusCode(200).extract().path("entry");
        assertThat(EntryFormat.decode(Base64.getDecoder().decode(entry)).factId()).isEqualTo(kept.planId());
        assertThat(selfCheck.run()).isEmpty();
    }

    @Test
    void theSelfCheckCatchesAChangedADeletedAndTwoSwappedEntries() throws Exception {
        for (int i = 0; i < 20; i++) {
            plan(account(), null);
        }
        sequenceAndSign();
        assertThat(selfCheck.run()).isEmpty();
        assertThat(selfCheck.failed()).isFalse();
        given().when().get(wellness).then().statusCode(200);

        try (Connection c = dataSource.getConnection()) {
            // 1. one stored entry changed: a participant count rewritten
            String entryId = entryAt(c, 3);
            byte[] body = bodyOf(c, entryId);
            byte[] changed = body.clone();
            changed[changed.length - 30] ^= 1;
            setBody(c, entryId, changed);
            try {
                // a verifier refuses the changed entry: its bytes no longer hash to the signed leaf
                JsonPath proof = inclusion(Roles.OPS, "planId=" + entryId).then().statusCode(200).extract().jsonPath();
                assertThat(Base64.getEncoder().encodeToString(Rfc9162.leaf(Base64.getDecoder().decode(proof.getString("entry")))))
                        .isNotEqualTo(proof.getString("leafHash"));
                assertFails("does not hash to the leaf hash");
                assertThat(given().when().get(metrics).then().extract().asString())
                        .contains("meridian_transparency_self_check_failed 1.0");
                given().when().get(wellness).then().log().ifValidationFails().statusCode(503).body("checks[0].name", equalTo("transparency-log"));
            } finally {
                setBody(c, entryId, body);
            }
            passes();

            // 2. one leaf deleted
            long size = log.store().latestHead().orElseThrow().head().treeSize();
            long victim = size - 2;
            Object[] row = leafRow(c, victim);
            exec(c, "delete from transparency_leaf where leaf_index = " + victim);
            try {
                assertFails("leaf " + victim + " is missing");
            } finally {
                insertLeaf(c, row);
            }
            passes();

            // 3. two leaves swapped (within one stored 16-leaf subtree)
            exec(c, "update transparency_leaf set leaf_index = -1 where leaf_index = 0");
            exec(c, "update transparency_leaf set leaf_index = 0 where leaf_index = 1");
            exec(c, "update transparency_leaf set leaf_index = 1 where leaf_index = -1");
            try {
                // a verifier refuses the swapped leaf: its audit path no longer leads to the signed root
                JsonPath proof = inclusion(Roles.OPS, "leafIndex=0").then().statusCode(200).extract().jsonPath();
                assertThat(Rfc9162.verifyInclusion(0, proof.getLong("treeSize"),
                        Base64.getDecoder().decode(proof.getString("leafHash")), decode(proof.getList("auditPath")),
                        Base64.getDecoder().decode(proof.getString("treeHead.rootHash")))).isFalse();
                assertFails("does not match the hashes below it");
            } finally {
                exec(c, "update transparency_leaf set leaf_index = -1 where leaf_index = 0");
                exec(c, "update transparency_leaf set leaf_index = 0 where leaf_index = 1");
                exec(c, "update transparency_leaf set leaf_index = 1 where leaf_index = -1");
            }
            passes();
        }
    }

    private void assertFails(String finding) {
        selfCheck.reset();
        List<String> findings = selfCheck.run();
        assertThat(findings).anySatisfy(f -> assertThat(f).contains(finding));
        assertThat(selfCheck.failed()).isTrue();
    }

    private void passes() {
        selfCheck.reset();
        assertThat(selfCheck.run()).isEmpty();
        assertThat(selfCheck.failed()).isFalse();
    }

    private static String entryAt(Connection c, long index) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select entry_id from transparency_leaf where leaf_index = " + index)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long batchOf(Connection c, String entryId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select batch_seq from transparency_leaf where entry_id = ?")) {
            ps.setString(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static byte[] bodyOf(Connection c, String entryId) throws Exception {
        return LogStore.batch(c, batchOf(c, entryId)).orElseThrow().entry(entryId).orElseThrow().body();
    }

    /** Rewrites the stored bytes of one entry in its batch row, as someone with write access to the database could. */
    private static void setBody(Connection c, String entryId, byte[] body) throws Exception {
        long seq = batchOf(c, entryId);
        List<LogEntries.Encoded> entries = LogStore.batch(c, seq).orElseThrow().entries().stream()
                .map(e -> e.factId().equals(entryId)
                        ? new LogEntries.Encoded(e.factId(), e.time(), body, e.leafHash(), e.accountHash()) : e)
                .toList();
        EntryBatch.Columns cols = new EntryBatch(entries).columns();
        try (PreparedStatement ps = c.prepareStatement(
                "update transparency_entry_batch set body_lengths = ?, bodies = ? where seq = ?")) {
            ps.setString(1, cols.bodyLengths());
            ps.setBytes(2, cols.bodies());
            ps.setLong(3, seq);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static Object[] leafRow(Connection c, long index) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select leaf_index, entry_id, leaf_hash, account_hash from transparency_leaf where leaf_index = " + index)) {
            rs.next();
            return new Object[]{rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)};
        }
    }

    private static void insertLeaf(Connection c, Object[] row) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into transparency_leaf (leaf_index, entry_id, leaf_hash, account_hash) values (?, ?, ?, ?)")) {
            ps.setLong(1, (Long) row[0]);
            ps.setString(2, (String) row[1]);
            ps.setBytes(3, (byte[]) row[2]);
            ps.setBytes(4, (byte[]) row[3]);
            ps.executeUpdate();
        }
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    @Test
    void theDocumentedExamplesAreRealAnswersAndHaveTheirShape() throws Exception {
        JsonPath proof = JsonPath.from(TransparencyExamples.INCLUSION);
        byte[] leaf = Rfc9162.leaf(Base64.getDecoder().decode(proof.getString("entry")));
        assertThat(Base64.getEncoder().encodeToString(leaf)).isEqualTo(proof.getString("leafHash"));
        assertThat(Rfc9162.verifyInclusion(proof.getLong("leafIndex"), proof.getLong("treeSize"), leaf,
                decode(proof.getList("auditPath")), Base64.getDecoder().decode(proof.getString("treeHead.rootHash")))).isTrue();
        Map<String, PublicKey> exampleKeys = new java.util.HashMap<>();
        JsonPath keySet = JsonPath.from(TransparencyExamples.KEYS);
        exampleKeys.put(keySet.getString("keys[0].kid"), Ed25519.fromRaw(Base64.getUrlDecoder().decode(keySet.getString("keys[0].x"))));
        assertThat(headVerifies(proof, "treeHead.", exampleKeys)).isTrue();
        assertThat(headVerifies(JsonPath.from(TransparencyExamples.TREE_HEAD), "", exampleKeys)).isTrue();
        assertThat(thumbprint(keySet.getString("keys[0].x"))).isEqualTo(keySet.getString("keys[0].kid"));

        String planId = plan(account(), null).getString("planId");
        sequenceAndSign();
        assertThat(inclusion(Roles.OPS, "planId=" + planId).then().extract().jsonPath().getMap("").keySet())
                .isEqualTo(proof.getMap("").keySet());
        assertThat(given().when().get(BASE + "/tree-head").then().extract().jsonPath().getMap("").keySet())
                .isEqualTo(JsonPath.from(TransparencyExamples.TREE_HEAD).getMap("").keySet());
        assertThat(given().when().get(BASE + "/keys").then().extract().jsonPath().getMap("keys[0]").keySet())
                .isEqualTo(keySet.getMap("keys[0]").keySet());
        assertThat(given().when().get(BASE + "/proofs/consistency?first=1&second=1").then().statusCode(200).extract().jsonPath()
                .getMap("").keySet()).isEqualTo(JsonPath.from(TransparencyExamples.CONSISTENCY).getMap("").keySet());
    }

    @Test
    void theMetricsShowTheLog() {
        plan(account(), null);
        JsonPath head = sequenceAndSign();
        String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).contains("meridian_transparency_tree_size " + head.getLong("treeSize") + ".0",
                "meridian_transparency_unsequenced_entries 0.0", "meridian_transparency_tree_head_age_seconds",
                "meridian_transparency_leader 1.0", "meridian_transparency_self_check_failed 0.0");
    }
}
