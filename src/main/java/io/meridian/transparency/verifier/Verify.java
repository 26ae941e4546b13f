package io.meridian.transparency.verifier;

import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.EntryFormat;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.KeyedHashes;
import io.meridian.transparency.log.LogEntry;
import io.meridian.transparency.log.Merkle;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.TreeHead;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The customer's verifier: checks, without trusting the service, that a plan's entry is in the
 * transparency log and that the log only ever grew. It uses the JDK and this jar only.
 *
 * <pre>
 *   java -jar meridian-verifier.jar --url https://meridian.example --plan 01J... [options]
 * </pre>
 *
 * It fetches the keys (or takes pinned ones), the inclusion proof with the entry and the signed
 * head it leads to, and checks: the entry hashes to the leaf hash (and to the receipt's entryHash,
 * if given); the entry is the plan's; the audit path leads to the head's root (RFC 9162); the head
 * is signed by a key of the log; with a hash key, the entry is the account's (and the meeting's);
 * with a saved head, a consistency proof ties the two heads. It prints what it verified, or exactly
 * what failed. Exit status 0 verified, 1 a check failed, 2 usage or network error.
 */
public final class Verify {

    static final String USAGE = """
            usage: java -jar meridian-verifier.jar --url URL (--plan PLAN_ID | --leaf INDEX) [options]

              --url URL            the service, e.g. https://meridian.example
              --plan PLAN_ID       the plan to verify (a routing plan answer's planId)
              --leaf INDEX         or a leaf index
              --token TOKEN        bearer token of a region admin of the plan's account, or of ops
                                   (default: the MERIDIAN_TOKEN environment variable)
              --tree-size N        prove against the head of this size (default: the newest)
              --entry-hash HASH    the receipt's entryHash: the entry must be exactly that one
              --keys FILE          trust only the keys of this JWKS file (a saved GET /api/v1/transparency/keys)
              --hash-key KEY       the account's hash key (GET .../accounts/{id}/hash-key): the entry must be the account's
              --meeting ID         with --hash-key: the entry must be of this meeting id
              --saved-head FILE    a tree head saved earlier: the log must be consistent with it
              --save-head FILE     save the head verified against, for the next run's --saved-head
            """;

    /** A failed check: the log does not prove what was asked. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /** A usage or network problem: nothing could be checked. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private final Map<String, String> options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    Verify(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.getenv("MERIDIAN_TOKEN")));
    }

    /** Runs the verifier; returns the exit status. */
    static int run(String[] args, PrintStream out, String tokenFromEnvironment) {
        Map<String, String> options;
        try {
            options = options(args);
            if (!options.containsKey("token") && tokenFromEnvironment != null && !tokenFromEnvironment.isBlank()) {
                options.put("token", tokenFromEnvironment.strip());
            }
        } catch (Unusable e) {
            out.println(e.getMessage());
            out.print(USAGE);
            return 2;
        }
        try {
            new Verify(options, out).verify();
            return 0;
        } catch (Failed e) {
            out.println("FAILED: " + e.getMessage());
            return 1;
        } catch (Unusable e) {
            out.println("cannot verify: " + e.getMessage());
            return 2;
        }
    }

    static Map<String, String> options(String[] args) throws Unusable {
        List<String> known = List.of("url", "plan", "leaf", "token", "tree-size", "entry-hash", "keys", "hash-key",
                "meeting", "saved-head", "save-head");
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name)) {
                throw new Unusable("unknown option " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new Unusable("--" + name + " needs a value");
            }
            if (options.put(name, args[++i]) != null) {
                throw new Unusable("--" + name + " is given twice");
            }
        }
        if (!options.containsKey("url")) {
            throw new Unusable("--url is required");
        }
        if (options.containsKey("plan") == options.containsKey("leaf")) {
            throw new Unusable("give --plan or --leaf");
        }
        if (options.containsKey("meeting") && !options.containsKey("hash-key")) {
            throw new Unusable("--meeting needs --hash-key");
        }
        return options;
    }

    void verify() throws Failed, Unusable {
        Map<String, PublicKey> keys = keys();
        String query = options.containsKey("plan") ? "planId=" + encode(options.get("plan"))
                : "leafIndex=" + encode(options.get("leaf"));
        if (options.containsKey("tree-size")) {
            query += "&treeSize=" + encode(options.get("tree-size"));
        }
        Map<String, Object> proof = get("/api/v1/transparency/proofs/inclusion?" + query, true);
        long leafIndex = Json.number(proof, "leafIndex");
        long treeSize = Json.number(proof, "treeSize");
        String factId = Json.string(proof, "planId");
        Hash leafHash = hash(Json.string(proof, "leafHash"), "leafHash");
        Object entryField = proof.get("entry");
        Optional<LogEntry> entry = Optional.empty();
        if (entryField instanceof String base64) {
            byte[] bytes = base64(base64, "entry");
            if (!new Hash(Merkle.leafHash(bytes)).equals(leafHash)) {
                throw new Failed("the entry's bytes hash to " + new Hash(Merkle.leafHash(bytes)).base64()
                        + ", not to the leaf hash " + leafHash.base64());
            }
            try {
                entry = Optional.of(EntryFormat.decode(bytes));
            } catch (IllegalArgumentException e) {
                throw new Failed("the entry is not a well-formed log entry: " + e.getMessage());
            }
            if (!entry.get().factId().equals(factId)) {
                throw new Failed("the entry states plan " + entry.get().factId() + ", the proof says " + factId);
            }
            out.println("entry:    " + describe(entry.get()));
        } else {
            out.println("entry:    deleted by the service's retention; only its leaf hash " + leafHash.base64()
                    + " is proven" + (options.containsKey("entry-hash") ? "" : " (give --entry-hash to tie it to a receipt)"));
        }
        if (options.containsKey("plan") && !factId.equals(options.get("plan"))) {
            throw new Failed("asked for plan " + options.get("plan") + ", the proof is for " + factId);
        }
        if (options.containsKey("entry-hash") && !hash(options.get("entry-hash"), "--entry-hash").equals(leafHash)) {
            throw new Failed("the log's entry has hash " + leafHash.base64() + ", the receipt says "
                    + options.get("entry-hash"));
        }
        if (options.containsKey("hash-key")) {
            checkAccount(entry);
        }
        SignedTreeHead head = head(Json.object(proof.get("treeHead"), "treeHead"));
        if (head.head().treeSize() != treeSize) {
            throw new Failed("the proof is for a tree of " + treeSize + " entries, its head has " + head.head().treeSize());
        }
        List<byte[]> path = new ArrayList<>();
        for (String h : Json.strings(proof, "auditPath")) {
            path.add(hash(h, "auditPath").bytes());
        }
        Optional<byte[]> root = Merkle.rootFromInclusion(leafIndex, treeSize, leafHash.bytes(), path);
        if (root.isEmpty()) {
            throw new Failed("the audit path (" + path.size() + " hashes) cannot belong to leaf " + leafIndex
                    + " of a tree of " + treeSize);
        }
        if (!new Hash(root.get()).equals(head.head().rootHash())) {
            throw new Failed("the audit path leads to root " + new Hash(root.get()).base64() + ", the signed head's root is "
                    + head.head().rootHash().base64());
        }
        checkSignature(head, keys, "the head");
        out.println("verified: plan " + factId + " is leaf " + leafIndex + " of a log of size " + treeSize + " signed at "
                + Instant.ofEpochMilli(head.head().timestampMillis()) + " (key " + head.head().keyId() + ", log "
                + head.head().logId() + ")");
        if (options.containsKey("saved-head")) {
            consistent(head, keys);
        }
        if (options.containsKey("save-head")) {
            save(Json.object(proof.get("treeHead"), "treeHead"));
        }
    }

    private void checkAccount(Optional<LogEntry> entry) throws Failed, Unusable {
        if (entry.isEmpty()) {
            throw new Failed("the entry was deleted by retention: its account cannot be checked");
        }
        byte[] key = base64(options.get("hash-key"), "--hash-key");
        Optional<String> meeting = Optional.ofNullable(options.get("meeting"));
        KeyedHashes.Pair expected = KeyedHashes.hashes(key, meeting);
        if (!entry.get().accountHash().equals(Optional.of(expected.account()))) {
            throw new Failed("the entry is not of the account of this hash key (account hash "
                    + entry.get().accountHash().map(Hash::base64).orElse("none") + ", the key gives "
                    + expected.account().base64() + ")");
        }
        if (meeting.isPresent() && !entry.get().meetingHash().equals(expected.meeting())) {
            throw new Failed("the entry is not of meeting " + meeting.get());
        }
        out.println("account:  the entry is the account's (its account hash matches the hash key)"
                + meeting.map(m -> ", of meeting " + m).orElse(""));
    }

    private void consistent(SignedTreeHead head, Map<String, PublicKey> keys) throws Failed, Unusable {
        Map<String, Object> savedJson;
        try {
            savedJson = Json.object(Json.parse(Files.readString(Path.of(options.get("saved-head")))), "the saved head");
        } catch (IOException | IllegalArgumentException e) {
            throw new Unusable("the saved head " + options.get("saved-head") + " cannot be read: " + e.getMessage());
        }
        SignedTreeHead saved = head(savedJson);
        checkSignature(saved, keys, "the saved head");
        if (!saved.head().logId().equals(head.head().logId())) {
            throw new Failed("the saved head is of log " + saved.head().logId() + ", not " + head.head().logId());
        }
        SignedTreeHead older = saved.head().treeSize() <= head.head().treeSize() ? saved : head;
        SignedTreeHead newer = older == saved ? head : saved;
        long m = older.head().treeSize();
        long n = newer.head().treeSize();
        if (m == 0 || m == n) {
            if (m == n && !older.head().rootHash().equals(newer.head().rootHash())) {
                throw new Failed("two signed heads of size " + n + " with different roots: the log was rewritten");
            }
        } else {
            Map<String, Object> proof = get("/api/v1/transparency/proofs/consistency?first=" + m + "&second=" + n, false);
            List<byte[]> hashes = new ArrayList<>();
            for (String h : Json.strings(proof, "proof")) {
                hashes.add(hash(h, "proof").bytes());
            }
            if (!Merkle.verifyConsistency(m, n, older.head().rootHash().bytes(), newer.head().rootHash().bytes(), hashes)) {
                throw new Failed("the log of size " + n + " is not consistent with the head of size " + m
                        + ": entries were changed or removed");
            }
        }
        out.println("consistent: the log of size " + head.head().treeSize() + " and the saved head of size "
                + saved.head().treeSize() + " signed at " + Instant.ofEpochMilli(saved.head().timestampMillis())
                + (m == n ? " are the same tree" : " are one append-only log"));
    }

    private void save(Map<String, Object> head) throws Unusable {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> e : head.entrySet()) {
            json.append(json.length() > 1 ? ", " : "").append('"').append(e.getKey()).append("\": ");
            json.append(e.getValue() instanceof String s
                    ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : String.valueOf(e.getValue()));
        }
        try {
            Files.writeString(Path.of(options.get("save-head")), json.append("}\n").toString());
        } catch (IOException e) {
            throw new Unusable("cannot save the head to " + options.get("save-head") + ": " + e.getMessage());
        }
        out.println("saved:    the head of size " + head.get("treeSize") + " to " + options.get("save-head"));
    }

    private Map<String, PublicKey> keys() throws Failed, Unusable {
        Map<String, Object> jwks;
        if (options.containsKey("keys")) {
            try {
                jwks = Json.object(Json.parse(Files.readString(Path.of(options.get("keys")))), "the key file");
            } catch (IOException | IllegalArgumentException e) {
                throw new Unusable("the key file " + options.get("keys") + " cannot be read: " + e.getMessage());
            }
        } else {
            jwks = get("/api/v1/transparency/keys", false);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        if (!(jwks.get("keys") instanceof List<?> list)) {
            throw new Unusable("the key set has no keys array");
        }
        for (Object k : list) {
            Map<String, Object> jwk = Json.object(k, "a key");
            if (!"OKP".equals(jwk.get("kty")) || !"Ed25519".equals(jwk.get("crv"))) {
                continue;
            }
            String x = Json.string(jwk, "x");
            byte[] raw;
            try {
                raw = Base64.getUrlDecoder().decode(x);
            } catch (IllegalArgumentException e) {
                throw new Failed("key " + jwk.get("kid") + " is not base64url");
            }
            String kid = Json.string(jwk, "kid");
            if (!Ed25519.keyId(raw).equals(kid)) {
                throw new Failed("key " + kid + " is not the thumbprint of its own key (" + Ed25519.keyId(raw) + ")");
            }
            keys.put(kid, Ed25519.fromRaw(raw));
        }
        if (keys.isEmpty()) {
            throw new Failed("the log lists no Ed25519 key");
        }
        return keys;
    }

    private static SignedTreeHead head(Map<String, Object> json) throws Failed {
        try {
            if (!"Ed25519".equals(json.get("algorithm"))) {
                throw new Failed("the head is signed with " + json.get("algorithm") + ", not Ed25519");
            }
            TreeHead head = new TreeHead(Json.string(json, "logId"), Json.number(json, "treeSize"),
                    Json.number(json, "timestampMillis"), hash(Json.string(json, "rootHash"), "rootHash"),
                    Json.string(json, "keyId"));
            return new SignedTreeHead(head, base64(Json.string(json, "signature"), "signature"));
        } catch (IllegalArgumentException e) {
            throw new Failed("the tree head is malformed: " + e.getMessage());
        }
    }

    private static void checkSignature(SignedTreeHead head, Map<String, PublicKey> keys, String what) throws Failed {
        PublicKey key = keys.get(head.head().keyId());
        if (key == null) {
            throw new Failed(what + " is signed by key " + head.head().keyId() + ", which is not among the trusted keys "
                    + keys.keySet());
        }
        if (!head.verify(key)) {
            throw new Failed("the signature of " + what + " (size " + head.head().treeSize() + ") does not verify "
                    + "with key " + head.head().keyId());
        }
    }

    private Map<String, Object> get(String path, boolean authenticated) throws Unusable {
        String base = options.get("url").replaceAll("/+$", "");
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json");
        } catch (IllegalArgumentException e) {
            throw new Unusable("--url " + base + " is not a URL");
        }
        if (authenticated) {
            String token = options.get("token");
            if (token == null) {
                throw new Unusable("the inclusion proof needs a token: --token or MERIDIAN_TOKEN");
            }
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unusable("GET " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unusable("interrupted");
        }
        Object body;
        try {
            body = Json.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new Unusable("GET " + path + " answered " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() != 200) {
            Map<String, Object> problem = body instanceof Map ? Json.object(body, "the problem") : Map.of();
            throw new Unusable("GET " + path + " answered " + response.statusCode() + ": "
                    + problem.getOrDefault("detail", problem.getOrDefault("title", response.body())));
        }
        return Json.object(body, "the answer of GET " + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] base64(String value, String what) throws Failed {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new Failed(what + " is not base64");
        }
    }

    private static Hash hash(String value, String what) throws Failed {
        byte[] bytes = base64(value, what);
        if (bytes.length != Merkle.HASH_BYTES) {
            throw new Failed(what + " has " + bytes.length + " bytes, not 32");
        }
        return new Hash(bytes);
    }

    /** One line on what an entry states. */
    static String describe(LogEntry e) {
        StringBuilder s = new StringBuilder(e.kind().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(e.factId()).append(" made ").append(Instant.ofEpochMilli(e.timeMillis()));
        s.append(e.accountHash().isPresent() ? ", of an account" : ", without an account");
        if (e.body() instanceof LogEntry.PlanBody plan) {
            s.append("; ").append(plan.strategy()).append(", ").append(plan.participants()).append(" participants:");
            sites(s, plan.dataCenters());
            s.append("; regions used ").append(String.join(", ", plan.regionsUsed()));
            policy(s, plan.policy());
        } else if (e.body() instanceof LogEntry.SelectionBody selection) {
            s.append("; a bridge in");
            if (selection.dataCenters().isEmpty()) {
                s.append(" no known data center,");
            }
            sites(s, selection.dataCenters());
            policy(s, selection.policy());
        } else if (e.body() instanceof LogEntry.JoinBody join) {
            s.append("; live meeting ").append(join.liveMeetingId()).append(", a participant on ")
                    .append(join.dataCenter()).append(" (").append(join.region()).append(")")
                    .append(join.openedDataCenter() ? ", opened" : "");
            policy(s, join.policy());
        } else if (e.body() instanceof LogEntry.LeaveBody leave) {
            s.append("; live meeting ").append(leave.liveMeetingId()).append(", a participant left ")
                    .append(leave.dataCenter()).append(" (").append(leave.region()).append(")");
        } else if (e.body() instanceof LogEntry.MoveBody move) {
            s.append("; live meeting ").append(move.liveMeetingId()).append(", a participant moved from ")
                    .append(move.fromDataCenter()).append(" (").append(move.fromRegion()).append(") to ")
                    .append(move.toDataCenter()).append(" (").append(move.toRegion()).append("), ")
                    .append(move.reason());
            cause(s, move.cause());
            policy(s, move.policy());
        } else if (e.body() instanceof LogEntry.DisconnectBody gone) {
            s.append("; live meeting ").append(gone.liveMeetingId()).append(", a participant disconnected from ")
                    .append(gone.dataCenter()).append(" (").append(gone.region()).append("), ").append(gone.reason());
            cause(s, gone.cause());
        } else if (e.body() instanceof LogEntry.ReleaseBody release) {
            s.append("; live meeting ").append(release.liveMeetingId()).append(" released");
            if (release.released().isEmpty()) {
                s.append(" nothing,");
            }
            sites(s, release.released());
        }
        return s.toString();
    }

    private static void cause(StringBuilder s, LogEntry.Cause cause) {
        s.append(cause.type() == 1 ? "; cause: policy version " + cause.version()
                : "; cause: status of " + cause.dataCenter());
    }

    private static void sites(StringBuilder s, List<LogEntry.Site> sites) {
        for (LogEntry.Site site : sites) {
            s.append(' ').append(site.dataCenter()).append(" (").append(site.region()).append(") ")
                    .append(site.participants()).append(site.primary() ? " primary," : ",");
        }
        s.setLength(s.length() - 1);
    }

    private static void policy(StringBuilder s, LogEntry.Policy policy) {
        s.append("; blocked ").append(policy.blocked().isEmpty() ? "none" : String.join(", ", policy.blocked()));
        s.append("; allowed ").append(policy.allowed().map(a -> String.join(", ", a)).orElse("any"));
        List<String> sources = new ArrayList<>();
        for (LogEntry.Source src : policy.sources()) {
            sources.add(switch (src.type()) {
                case REQUEST -> "the request";
                case ACCOUNT -> "the account's policy v" + src.version();
                case OTHER -> "another source";
            });
        }
        s.append("; policy from ").append(sources.isEmpty() ? "no restriction" : String.join(" and ", sources));
    }
}
