package io.meridian.transparency;

import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.EntryFormat;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.LogEntry;
import io.meridian.transparency.log.Merkle;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.StoredTree;
import io.meridian.transparency.log.TreeShape;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every replica checks the log the way an auditor would, with the stored data only:
 *
 * <ol>
 *   <li>the newest signed head: its signature, and its root recomputed from the stored hashes;</li>
 *   <li>that it is consistent with the head this replica verified before (a consistency proof
 *       from the stored hashes, checked against both signed roots), and that the log never shrank;</li>
 *   <li>a stretch of the log ({@code meridian.transparency.audit-batch} leaves per run, cycling):
 *       every leaf index present, every kept entry hashing to its leaf hash and naming its leaf's
 *       entry id, every stored subtree hash equal to the hash of its children.</li>
 * </ol>
 *
 * Together, over one cycle, these tie every stored byte to the signed root: a changed, deleted or
 * reordered entry, leaf or node fails one of them. A failure sets {@code
 * meridian_transparency_self_check_failed} to 1 (alert MeridianTransparencyLogInconsistent) and the
 * wellness check {@code transparency-log} DOWN, until a whole cycle passes again; each finding is
 * logged at ERROR.
 */
@Startup
@ApplicationScoped
public class SelfCheck {

    private static final Logger LOG = Logger.getLogger(SelfCheck.class);
    private static final int LOGGED_FINDINGS = 10;

    private final TransparencyLog log;
    private final Counter failures;
    private Optional<SignedTreeHead> verified = Optional.empty();
    private long cursor;
    private boolean cycleDirty;
    private volatile boolean failed;
    private volatile List<String> findings = List.of();

    @Inject
    public SelfCheck(TransparencyLog log, MeterRegistry registry) {
        this.log = log;
        this.failures = Counter.builder("meridian.transparency.self.check.failures")
                .description("Self-checks of the transparency log that found the log inconsistent").register(registry);
        Gauge.builder("meridian.transparency.self.check.failed", this, c -> c.failed ? 1 : 0)
                .description("1 when the log's self-check found stored data that does not match its signed heads")
                .register(registry);
    }

    @Scheduled(every = "${meridian.transparency.self-check-interval:10s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (log.config().enabled()) {
            try {
                run();
            } catch (RuntimeException e) {
                LOG.warnf("The transparency log's self-check could not run: %s", e.getMessage());
            }
        }
    }

    /** Whether the last completed cycle (or the current one) found the log inconsistent. */
    public boolean failed() {
        return failed;
    }

    /** The findings of the latest run. */
    public List<String> findings() {
        return findings;
    }

    /** Forgets what was verified, as a restart does (tests). */
    synchronized void reset() {
        verified = Optional.empty();
        cursor = 0;
        cycleDirty = false;
        failed = false;
        findings = List.of();
    }

    /** One run; returns its findings (empty: all checked parts are consistent). */
    public synchronized List<String> run() {
        LogStore store = log.store();
        Optional<SignedTreeHead> latest = store.latestHead();
        if (latest.isEmpty()) {
            return List.of();
        }
        SignedTreeHead head = latest.get();
        List<String> found = new ArrayList<>();
        boolean headOk = checkHead(store, head, found);
        if (headOk) {
            verified = Optional.of(head);
        }
        boolean complete = audit(store, head.head().treeSize(), found);
        if (!found.isEmpty()) {
            cycleDirty = true;
            failed = true;
            failures.increment();
            found.stream().limit(LOGGED_FINDINGS).forEach(f -> LOG.errorf("Transparency log self-check: %s", f));
            if (found.size() > LOGGED_FINDINGS) {
                LOG.errorf("Transparency log self-check: %d more findings", found.size() - LOGGED_FINDINGS);
            }
        }
        if (complete) {
            failed = cycleDirty;
            cycleDirty = false;
        }
        findings = List.copyOf(found);
        return findings;
    }

    private boolean checkHead(LogStore store, SignedTreeHead signed, List<String> found) {
        int before = found.size();
        long size = signed.head().treeSize();
        Map<String, PublicKey> keys = new HashMap<>();
        for (LogStore.Key k : store.keys()) {
            keys.put(k.keyId(), Ed25519.fromRaw(k.publicKey()));
        }
        PublicKey key = keys.get(signed.head().keyId());
        if (key == null) {
            found.add("the head of size " + size + " names key " + signed.head().keyId() + ", which the log does not list");
        } else if (!signed.verify(key)) {
            found.add("the signature of the head of size " + size + " does not verify");
        }
        try {
            Hash root = new Hash(store.root(size));
            if (!root.equals(signed.head().rootHash())) {
                found.add("the stored hashes give root " + root + " for size " + size + ", the signed root is "
                        + signed.head().rootHash());
            }
        } catch (StoredTree.MissingHashException e) {
            found.add("the root of size " + size + " cannot be computed: " + e.getMessage());
        }
        if (verified.isPresent()) {
            SignedTreeHead old = verified.get();
            long oldSize = old.head().treeSize();
            if (size < oldSize) {
                found.add("the log shrank from " + oldSize + " to " + size + " entries");
            } else if (size == oldSize) {
                if (!old.head().rootHash().equals(signed.head().rootHash())) {
                    found.add("the head of size " + size + " changed its root from " + old.head().rootHash());
                }
            } else if (oldSize > 0) {
                try {
                    List<byte[]> proof = store.hashes(TreeShape.consistencyProof(oldSize, size));
                    if (!Merkle.verifyConsistency(oldSize, size, old.head().rootHash().bytes(),
                            signed.head().rootHash().bytes(), proof)) {
                        found.add("the log of size " + size + " is not consistent with its head of size " + oldSize
                                + " verified before");
                    }
                } catch (StoredTree.MissingHashException e) {
                    found.add("no consistency proof from " + oldSize + " to " + size + ": " + e.getMessage());
                }
            }
            if (oldSize > 0 && oldSize < size) {
                Optional<SignedTreeHead> stillThere = store.head(oldSize);
                if (stillThere.isEmpty() || !stillThere.get().head().rootHash().equals(old.head().rootHash())) {
                    found.add("the head of size " + oldSize + " verified before is gone or has another root");
                }
            }
        }
        return found.size() == before;
    }

    /** Audits the next stretch of leaves below {@code size}; returns true when it finished a cycle. */
    private boolean audit(LogStore store, long size, List<String> found) {
        if (size == 0) {
            return true;
        }
        if (cursor >= size) {
            cursor = 0;
        }
        long from = cursor;
        long to = Math.min(size, from + Math.max(StoredTree.FAN_OUT, log.config().auditBatch()));
        Map<Long, LogStore.Leaf> leaves = store.leaves(from, to);
        for (long i = from; i < to; i++) {
            LogStore.Leaf leaf = leaves.get(i);
            if (leaf == null) {
                found.add("leaf " + i + " is missing");
                continue;
            }
            if (leaf.body().isPresent()) {
                byte[] body = leaf.body().get();
                if (!new Hash(Merkle.leafHash(body)).equals(leaf.leafHash())) {
                    found.add("leaf " + i + " (" + leaf.entryId() + "): the stored entry does not hash to the leaf hash");
                } else {
                    try {
                        LogEntry entry = EntryFormat.decode(body);
                        if (!entry.factId().equals(leaf.entryId())) {
                            found.add("leaf " + i + " holds the entry of " + entry.factId() + " but is filed as "
                                    + leaf.entryId());
                        }
                    } catch (IllegalArgumentException e) {
                        found.add("leaf " + i + ": the stored entry is malformed: " + e.getMessage());
                    }
                }
            }
        }
        for (int level = StoredTree.STRIDE; level <= 60 && (1L << level) <= to; level += StoredTree.STRIDE) {
            auditNodes(store, level, from, to, leaves, found);
        }
        cursor = to;
        return to == size;
    }

    /** Checks the stored nodes of a level whose last leaf lies in {@code [from, to)}. */
    private static void auditNodes(LogStore store, int level, long from, long to, Map<Long, LogStore.Leaf> leaves,
                                   List<String> found) {
        long firstNode = from >> level;
        long endNode = to >> level;
        if (firstNode >= endNode) {
            return;
        }
        Map<Long, byte[]> stored = store.nodes(level, firstNode, endNode);
        int below = level - StoredTree.STRIDE;
        Map<Long, byte[]> children = below == 0
                ? leafHashes(store, firstNode * StoredTree.FAN_OUT, from, leaves)
                : store.nodes(below, firstNode * StoredTree.FAN_OUT, endNode * StoredTree.FAN_OUT);
        for (long j = firstNode; j < endNode; j++) {
            byte[] node = stored.get(j);
            if (node == null) {
                found.add("the hash of leaves [" + (j << level) + ", " + ((j + 1) << level) + ") is missing");
                continue;
            }
            List<byte[]> row = new ArrayList<>(StoredTree.FAN_OUT);
            for (long c = j * StoredTree.FAN_OUT; c < (j + 1) * StoredTree.FAN_OUT; c++) {
                byte[] h = children.get(c);
                if (h != null) {
                    row.add(h);
                }
            }
            if (row.size() != StoredTree.FAN_OUT || !MessageDigest.isEqual(StoredTree.fold(row), node)) {
                found.add("the stored hash of leaves [" + (j << level) + ", " + ((j + 1) << level)
                        + ") does not match the hashes below it");
            }
        }
    }

    /** Leaf hashes of the audited stretch, and of the few leaves before it that its first node covers. */
    private static Map<Long, byte[]> leafHashes(LogStore store, long before, long from, Map<Long, LogStore.Leaf> leaves) {
        Map<Long, byte[]> out = new HashMap<>();
        leaves.forEach((i, leaf) -> out.put(i, leaf.leafHash().bytes()));
        if (before < from) {
            store.leaves(before, from).forEach((i, leaf) -> out.put(i, leaf.leafHash().bytes()));
        }
        return out;
    }

    /** The wellness check {@code transparency-log}: DOWN while the self-check finds the log inconsistent. */
    @Wellness
    @ApplicationScoped
    static class Health implements HealthCheck {

        private final SelfCheck check;

        @Inject
        Health(SelfCheck check) {
            this.check = check;
        }

        @Override
        public HealthCheckResponse call() {
            var response = HealthCheckResponse.named("transparency-log").status(!check.failed());
            if (check.failed() && !check.findings().isEmpty()) {
                response.withData("finding", check.findings().get(0));
            }
            return response.build();
        }
    }
}
