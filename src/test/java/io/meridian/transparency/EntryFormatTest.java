package io.meridian.transparency;

import io.meridian.records.PlanIds;
import io.meridian.records.RoutingRecord;
import io.meridian.transparency.log.EntryFormat;
import io.meridian.transparency.log.EntryKind;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.KeyedHashes;
import io.meridian.transparency.log.LogEntry;
import io.meridian.transparency.log.MalformedEntryException;
import io.meridian.transparency.log.Merkle;
import io.meridian.web.Examples;
import io.restassured.path.json.JsonPath;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The canonical entry encoding: the documented test vector, round trips, strict reading. */
class EntryFormatTest {

    static final byte[] DEV_SECRET = Base64.getDecoder().decode(TransparencyKeys.DEV_HASH_SECRET);

    /** The test vector of docs/transparency.md, key to value. */
    static Map<String, String> documentedVector() throws Exception {
        String doc = Files.readString(Path.of("docs/transparency.md"));
        String block = doc.substring(doc.indexOf("<!-- entry-vector:start -->"), doc.indexOf("<!-- entry-vector:end -->"));
        Map<String, String> out = new HashMap<>();
        for (String line : block.split("\n")) {
            String[] parts = line.split("\\s{2,}");
            if (parts.length == 2) {
                out.put(parts[0].replaceAll(" \\(.*\\)", ""), parts[1].strip());
            }
        }
        return out;
    }

    /** The plan of the vector, as the service records it. */
    static RoutingRecord vectorRecord() {
        return new RoutingRecord("01KMB2ZQVBXJ4ZN0K8E5T6W7AB", 1795426200123L, "acme", "weekly-sync-42", "CASCADE", 3,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 2, true), new RoutingRecord.Site("us-sjc", "US", 1, false)),
                new TreeSet<>(List.of("EU", "US")), new TreeSet<>(List.of("CN")), Optional.empty(),
                List.of("request", "account:acme"), "01KMB2ZQVCRESERVATION0000A", 3);
    }

    @Example
    void theServiceEncodesTheDocumentedVectorByteForByte() throws Exception {
        Map<String, String> vector = documentedVector();
        assertThat(vector.get("secret")).isEqualTo(TransparencyKeys.DEV_HASH_SECRET);
        KeyedHashes hashes = new KeyedHashes(DEV_SECRET);
        byte[] key = hashes.accountKey(vector.get("account id"));
        assertThat(HexFormat.of().formatHex(key)).isEqualTo(vector.get("K_a"));
        assertThat(KeyedHashes.accountHash(key).hex()).isEqualTo(vector.get("account hash"));
        assertThat(KeyedHashes.meetingHash(key, vector.get("meeting id")).hex()).isEqualTo(vector.get("meeting hash"));

        LogEntries.Encoded encoded = new LogEntries(hashes).encode(vectorRecord());
        assertThat(HexFormat.of().formatHex(encoded.body())).isEqualTo(vector.get("entry"));
        assertThat(encoded.leafHash().hex()).isEqualTo(vector.get("leaf hash"));
        assertThat(Rfc9162.leaf(encoded.body())).isEqualTo(encoded.leafHash().bytes());

        LogEntry decoded = EntryFormat.decode(encoded.body());
        assertThat(decoded.kind()).isEqualTo(EntryKind.PLAN);
        assertThat(decoded.factId()).isEqualTo("01KMB2ZQVBXJ4ZN0K8E5T6W7AB");
        assertThat(decoded.accountHash()).contains(new Hash(HexFormat.of().parseHex(vector.get("account hash"))));
        LogEntry.PlanBody plan = (LogEntry.PlanBody) decoded.body();
        assertThat(plan.dataCenters()).containsExactly(new LogEntry.Site("eu-fra", "EU", 2, true),
                new LogEntry.Site("us-sjc", "US", 1, false));
        assertThat(plan.policy().sources()).containsExactly(new LogEntry.Source(LogEntry.SourceType.REQUEST, 0),
                new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 3));
        // no id in the clear: not the account, not the meeting, not the reservation
        String text = new String(encoded.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("acme", "weekly-sync-42", "RESERVATION");
    }

    @Example
    void thePlanExampleOfTheApiCarriesTheRealReceipt() {
        JsonPath example = JsonPath.from(Examples.PLAN_RESPONSE);
        String planId = example.getString("planId");
        RoutingRecord record = new RoutingRecord(planId, PlanIds.timeOf(planId), null, example.getString("meetingId"),
                example.getString("strategy"), 3,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true), new RoutingRecord.Site("sg-sin", "SG", 1, false),
                        new RoutingRecord.Site("us-sjc", "US", 1, false)),
                new TreeSet<>(example.getList("regionsUsed", String.class)),
                new TreeSet<>(example.getList("effectivePolicy.blockedRegions", String.class)), Optional.empty(),
                example.getList("effectivePolicy.sources", String.class), null);
        assertThat(example.getString("receipt.planId")).isEqualTo(planId);
        assertThat(example.getString("receipt.entryHash"))
                .isEqualTo(new LogEntries(new KeyedHashes(DEV_SECRET)).encode(record).leafHash().base64());
    }

    @Provide
    Arbitrary<LogEntry> entries() {
        Arbitrary<String> code = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(16);
        Arbitrary<String> id = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(63);
        Arbitrary<LogEntry.Site> site = Combinators.combine(id, code, Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.of(true, false)).as(LogEntry.Site::new);
        Arbitrary<LogEntry.Source> source = Combinators.combine(Arbitraries.of(LogEntry.SourceType.class),
                Arbitraries.longs().between(0, Long.MAX_VALUE)).as(LogEntry.Source::new);
        Arbitrary<LogEntry.Policy> policy = Combinators.combine(code.list().ofMaxSize(12),
                code.list().ofMaxSize(12).optional(), source.list().ofMaxSize(3)).as(LogEntry.Policy::new);
        Arbitrary<LogEntry.PlanBody> body = Combinators.combine(Arbitraries.of("SINGLE", "CASCADE"),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), site.list().ofMaxSize(20), code.list().ofMaxSize(12),
                policy).as(LogEntry.PlanBody::new);
        Arbitrary<LogEntry.SelectionBody> selection = Combinators.combine(site.list().ofMaxSize(1), policy)
                .as(LogEntry.SelectionBody::new);
        Arbitrary<LogEntry.JoinBody> join = Combinators.combine(id, id, code, Arbitraries.of(true, false), policy)
                .as(LogEntry.JoinBody::new);
        Arbitrary<LogEntry.LeaveBody> leave = Combinators.combine(id, id, code).as(LogEntry.LeaveBody::new);
        Arbitrary<LogEntry.ReleaseBody> release = Combinators.combine(id, site.list().ofMaxSize(20))
                .as(LogEntry.ReleaseBody::new);
        Arbitrary<Optional<Hash>> hash = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash::new).optional();
        Arbitrary<LogEntry.Body> anyBody = Arbitraries.oneOf(body, selection, join, leave, release);
        Arbitrary<Boolean> ended = Arbitraries.of(true, false);
        return Combinators.combine(Arbitraries.strings().withCharRange('0', 'Z').ofMinLength(1).ofMaxLength(64),
                        Arbitraries.longs().between(0, Long.MAX_VALUE), hash, hash, anyBody, ended)
                .as((fact, time, account, meeting, b, end) -> new LogEntry(kindOf(b, end), fact, time, account,
                        meeting, b));
    }

    private static EntryKind kindOf(LogEntry.Body b, boolean end) {
        if (b instanceof LogEntry.PlanBody) {
            return EntryKind.PLAN;
        }
        if (b instanceof LogEntry.SelectionBody) {
            return EntryKind.BRIDGE_SELECTION;
        }
        if (b instanceof LogEntry.JoinBody) {
            return EntryKind.JOIN;
        }
        if (b instanceof LogEntry.LeaveBody) {
            return EntryKind.LEAVE;
        }
        return end ? EntryKind.END : EntryKind.EXPIRY;
    }

    @Property(tries = 300)
    void decodingReturnsWhatWasEncodedAndEncodingIsItsInverse(@ForAll("entries") LogEntry entry) {
        byte[] bytes = EntryFormat.encode(entry);
        LogEntry decoded = EntryFormat.decode(bytes);
        assertThat(decoded).isEqualTo(entry);
        assertThat(EntryFormat.encode(decoded)).isEqualTo(bytes);
    }

    @Property(tries = 100)
    void everyTruncationAndEveryExtraByteIsRefused(@ForAll("entries") LogEntry entry) {
        byte[] bytes = EntryFormat.encode(entry);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> EntryFormat.decode(truncated)).as("cut at %d", cut)
                    .isInstanceOf(MalformedEntryException.class);
        }
        assertThatThrownBy(() -> EntryFormat.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(MalformedEntryException.class);
    }

    @Property(tries = 100)
    void differentEntriesHaveDifferentBytes(@ForAll("entries") LogEntry a, @ForAll("entries") LogEntry b) {
        if (!a.equals(b)) {
            assertThat(EntryFormat.encode(a)).isNotEqualTo(EntryFormat.encode(b));
        }
    }

    @Example
    void unknownVersionsKindsAndBadFieldsAreRefused() throws Exception {
        byte[] vector = HexFormat.of().parseHex(documentedVector().get("entry"));
        byte[] version = vector.clone();
        version[0] = 2;
        assertThatThrownBy(() -> EntryFormat.decode(version)).hasMessageContaining("version 2");
        byte[] kind = vector.clone();
        kind[1] = 99;
        assertThatThrownBy(() -> EntryFormat.decode(kind)).hasMessageContaining("kind 99");
        // the primary flag of the first data center (offset: see docs) is 0 or 1, nothing else
        byte[] flag = vector.clone();
        int primary = HexFormat.of().formatHex(vector).indexOf("0665752d6672610245550000000201") / 2 + 14;
        assertThat(flag[primary]).isEqualTo((byte) 1);
        flag[primary] = 2;
        assertThatThrownBy(() -> EntryFormat.decode(flag)).hasMessageContaining("primary");
        assertThat(Merkle.leafHash(vector)).isEqualTo(HexFormat.of().parseHex(documentedVector().get("leaf hash")));
    }

    @Example
    void aJicofoBridgeSelectionIsLoggedAsItsOwnKind() {
        RoutingRecord selection = new RoutingRecord(PlanIds.next(1795426200123L), 1795426200123L, "acme", null,
                LogEntries.BRIDGE_SELECTION, 1, List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)),
                new TreeSet<>(List.of("EU")), new TreeSet<>(List.of("CN")), Optional.empty(), List.of("account:acme"),
                null, 4);
        LogEntries.Encoded encoded = new LogEntries(new KeyedHashes(DEV_SECRET)).encode(selection);
        LogEntry entry = EntryFormat.decode(encoded.body());
        assertThat(entry.kind()).isEqualTo(EntryKind.BRIDGE_SELECTION);
        assertThat(entry.meetingHash()).isEmpty();
        assertThat(entry.body()).isEqualTo(new LogEntry.SelectionBody(List.of(new LogEntry.Site("eu-fra", "EU", 1, true)),
                new LogEntry.Policy(List.of("CN"), Optional.empty(), List.of(new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 4)))));
        assertThat(encoded.body()[1]).isEqualTo((byte) 7);
    }

    /** A live meeting's join, leave and end are their own kinds, with the meeting's id and no participant id. */
    @Example
    void liveMeetingRecordsAreLoggedAsTheirKinds() {
        LogEntries entries = new LogEntries(new KeyedHashes(DEV_SECRET));
        String meeting = "01M8RP4RB9NPE1V91ZX53NN0NA";
        RoutingRecord join = new RoutingRecord(PlanIds.next(1795426200123L), 1795426200123L, "acme", "weekly-sync-42",
                "SINGLE", 1, List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(List.of("CN")), Optional.empty(), List.of("request", "account:acme"), null, 3,
                RoutingRecord.Kind.JOIN, Optional.of(new RoutingRecord.LiveEvent(meeting, "alice", true)));
        LogEntry logged = EntryFormat.decode(entries.encode(join).body());
        assertThat(logged.kind()).isEqualTo(EntryKind.JOIN);
        assertThat(logged.meetingHash()).isPresent();
        assertThat(logged.body()).isEqualTo(new LogEntry.JoinBody(meeting, "eu-fra", "EU", true,
                new LogEntry.Policy(List.of("CN"), Optional.empty(), List.of(new LogEntry.Source(
                        LogEntry.SourceType.REQUEST, 0), new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 3)))));
        assertThat(new String(entries.encode(join).body(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("alice");
        RoutingRecord leave = new RoutingRecord(PlanIds.next(1795426201123L), 1795426201123L, "acme", "weekly-sync-42",
                "SINGLE", 1, List.of(new RoutingRecord.Site("eu-fra", "EU", 1, false)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.empty(), List.of(), null, 0, RoutingRecord.Kind.LEAVE,
                Optional.of(new RoutingRecord.LiveEvent(meeting, "alice", false)));
        assertThat(EntryFormat.decode(entries.encode(leave).body()).body())
                .isEqualTo(new LogEntry.LeaveBody(meeting, "eu-fra", "EU"));
        RoutingRecord end = new RoutingRecord(PlanIds.next(1795426202123L), 1795426202123L, "acme", "weekly-sync-42",
                "CASCADE", 3, List.of(new RoutingRecord.Site("au-syd", "AU", 1, false),
                new RoutingRecord.Site("eu-fra", "EU", 2, false)), new TreeSet<>(List.of("AU", "EU")), new TreeSet<>(),
                Optional.empty(), List.of(), null, 0, RoutingRecord.Kind.END,
                Optional.of(new RoutingRecord.LiveEvent(meeting, null, false)));
        LogEntry ended = EntryFormat.decode(entries.encode(end).body());
        assertThat(ended.kind()).isEqualTo(EntryKind.END);
        assertThat(ended.body()).isEqualTo(new LogEntry.ReleaseBody(meeting, List.of(
                new LogEntry.Site("au-syd", "AU", 1, false), new LogEntry.Site("eu-fra", "EU", 2, false))));
    }

    /** A move and a disconnect name the data center left, why, and the change that caused it; no participant id. */
    @Example
    void movesAndDisconnectsAreLoggedAsTheirKinds() {
        LogEntries entries = new LogEntries(new KeyedHashes(DEV_SECRET));
        String meeting = "01M8RP4RB9NPE1V91ZX53NN0NA";
        RoutingRecord move = new RoutingRecord(PlanIds.next(1795426203123L), 1795426203123L, "acme", "weekly-sync-42",
                "SINGLE", 1, List.of(new RoutingRecord.Site("eu-ams", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(List.of("IN")), Optional.empty(), List.of("account:acme"), null, 5, RoutingRecord.Kind.MOVE,
                Optional.of(new RoutingRecord.LiveEvent(meeting, "alice", false, Optional.of(new RoutingRecord.Leaving(
                        "in-bom", "IN", "REGION_BLOCKED", "POLICY_CHANGE", 5, "")))));
        byte[] bytes = entries.encode(move).body();
        LogEntry moved = EntryFormat.decode(bytes);
        assertThat(moved.kind()).isEqualTo(EntryKind.MOVE);
        assertThat(bytes[1]).isEqualTo((byte) 5);
        assertThat(moved.body()).isEqualTo(new LogEntry.MoveBody(meeting, "in-bom", "IN", "eu-ams", "EU", "REGION_BLOCKED",
                new LogEntry.Cause(1, 5, ""), new LogEntry.Policy(List.of("IN"), Optional.empty(),
                List.of(new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 5)))));
        assertThat(EntryFormat.encode(moved)).isEqualTo(bytes);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("alice");
        RoutingRecord gone = new RoutingRecord(PlanIds.next(1795426204123L), 1795426204123L, "acme", "weekly-sync-42",
                "SINGLE", 1, List.of(new RoutingRecord.Site("au-syd", "AU", 1, false)), new TreeSet<>(List.of("AU")),
                new TreeSet<>(), Optional.empty(), List.of(), null, 0, RoutingRecord.Kind.DISCONNECT,
                Optional.of(new RoutingRecord.LiveEvent(meeting, "bob", false, Optional.of(new RoutingRecord.Leaving(
                        "au-syd", "AU", "NO_PERMITTED_CAPACITY", "DC_STATUS", 0, "au-syd")))));
        byte[] goneBytes = entries.encode(gone).body();
        LogEntry disconnected = EntryFormat.decode(goneBytes);
        assertThat(goneBytes[1]).isEqualTo((byte) 6);
        assertThat(disconnected.body()).isEqualTo(new LogEntry.DisconnectBody(meeting, "au-syd", "AU",
                "NO_PERMITTED_CAPACITY", new LogEntry.Cause(2, 0, "au-syd")));
        assertThat(EntryFormat.encode(disconnected)).isEqualTo(goneBytes);
    }

    @Example
    void policySourcesKeepNoNames() {
        assertThat(LogEntries.source("request", 7)).isEqualTo(new LogEntry.Source(LogEntry.SourceType.REQUEST, 0));
        assertThat(LogEntries.source("account:acme", 7)).isEqualTo(new LogEntry.Source(LogEntry.SourceType.ACCOUNT, 7));
        assertThat(LogEntries.source("scenario", 7)).isEqualTo(new LogEntry.Source(LogEntry.SourceType.OTHER, 0));
    }
}
