package io.meridian.transparency.log;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One routing fact as the transparency log states it: a common header (kind, the fact's id, its
 * time, the keyed hashes of its account and meeting) and a body whose layout depends on the kind.
 * No participant ids, no account or meeting ids in the clear. {@link EntryFormat} turns it into
 * the canonical bytes that are hashed into the tree, and back.
 *
 * @param kind        what the fact is
 * @param factId      the fact's id: for a plan, its plan id (a ULID)
 * @param timeMillis  when the fact happened, epoch milliseconds UTC
 * @param accountHash HMAC of the account ({@link KeyedHashes}), when the fact has an account
 * @param meetingHash HMAC of the meeting id under the account's key, when it has both
 * @param body        the kind's facts
 */
public record LogEntry(EntryKind kind, String factId, long timeMillis, Optional<Hash> accountHash,
                       Optional<Hash> meetingHash, Body body) {

    public LogEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(factId, "factId");
        Objects.requireNonNull(accountHash, "accountHash");
        Objects.requireNonNull(meetingHash, "meetingHash");
        Objects.requireNonNull(body, "body");
        if (timeMillis < 0) {
            throw new IllegalArgumentException("time before 1970");
        }
        if (kind == EntryKind.PLAN && !(body instanceof PlanBody)
                || kind == EntryKind.BRIDGE_SELECTION && !(body instanceof SelectionBody)
                || kind == EntryKind.JOIN && !(body instanceof JoinBody)
                || kind == EntryKind.LEAVE && !(body instanceof LeaveBody)
                || (kind == EntryKind.EXPIRY || kind == EntryKind.END) && !(body instanceof ReleaseBody)
                || kind == EntryKind.MOVE && !(body instanceof MoveBody)
                || kind == EntryKind.DISCONNECT && !(body instanceof DisconnectBody)) {
            throw new IllegalArgumentException("a " + kind + " entry needs its own body layout");
        }
    }

    /** The body of an entry: its layout depends on the entry's kind. */
    public sealed interface Body permits PlanBody, SelectionBody, JoinBody, LeaveBody, ReleaseBody, MoveBody,
            DisconnectBody, OpaqueBody {
    }

    /**
     * A routing plan: strategy, participants, where they were placed and under which policy.
     *
     * @param strategy     SINGLE or CASCADE
     * @param participants participants placed in total
     * @param dataCenters  participants per data center, in the order of the plan answer (by id)
     * @param regionsUsed  regions whose data centers carry the meeting's media, sorted
     * @param policy       the effective policy the plan obeyed
     */
    public record PlanBody(String strategy, int participants, List<Site> dataCenters, List<String> regionsUsed,
                           Policy policy) implements Body {
        public PlanBody {
            Objects.requireNonNull(strategy, "strategy");
            dataCenters = List.copyOf(dataCenters);
            regionsUsed = List.copyOf(regionsUsed);
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * A Jicofo bridge selection: one participant given a videobridge.
     *
     * @param dataCenters the chosen bridge's data center with 1 participant, primary when the bridge
     *                    is the conference's first; empty for a bridge in no known data center
     * @param policy      the account's effective policy
     */
    public record SelectionBody(List<Site> dataCenters, Policy policy) implements Body {
        public SelectionBody {
            dataCenters = List.copyOf(dataCenters);
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * A participant placed in a live meeting (no participant id).
     *
     * @param liveMeetingId    the service's id of the live meeting (a ULID)
     * @param dataCenter       where the participant was placed
     * @param region           that data center's region
     * @param openedDataCenter whether nobody of the meeting was there before
     * @param policy           the meeting's effective policy
     */
    public record JoinBody(String liveMeetingId, String dataCenter, String region, boolean openedDataCenter,
                           Policy policy) implements Body {
        public JoinBody {
            Objects.requireNonNull(liveMeetingId, "liveMeetingId");
            Objects.requireNonNull(dataCenter, "dataCenter");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** A participant left a live meeting, from {@code dataCenter} (no participant id). */
    public record LeaveBody(String liveMeetingId, String dataCenter, String region) implements Body {
        public LeaveBody {
            Objects.requireNonNull(liveMeetingId, "liveMeetingId");
            Objects.requireNonNull(dataCenter, "dataCenter");
            Objects.requireNonNull(region, "region");
        }
    }

    /**
     * A live meeting ended (EXPIRY: its lease ran out; END: by its controller), releasing its
     * participants' places per data center.
     */
    public record ReleaseBody(String liveMeetingId, List<Site> released) implements Body {
        public ReleaseBody {
            Objects.requireNonNull(liveMeetingId, "liveMeetingId");
            released = List.copyOf(released);
        }
    }

    /**
     * The change that made a participant leave its data center.
     *
     * @param type       1 a policy change ({@code version} its new version), 2 a data-center status change
     *                   ({@code dataCenter} the one that changed)
     * @param dataCenter empty for a policy change
     */
    public record Cause(int type, long version, String dataCenter) {
        public Cause {
            Objects.requireNonNull(dataCenter, "dataCenter");
            if (type < 1 || type > 255 || version < 0) {
                throw new IllegalArgumentException("cause type 1-255, version >= 0");
            }
        }
    }

    /** A participant moved from one data center to another (no participant id), under {@code policy}. */
    public record MoveBody(String liveMeetingId, String fromDataCenter, String fromRegion, String toDataCenter,
                           String toRegion, String reason, Cause cause, Policy policy) implements Body {
        public MoveBody {
            Objects.requireNonNull(liveMeetingId, "liveMeetingId");
            Objects.requireNonNull(fromDataCenter, "fromDataCenter");
            Objects.requireNonNull(fromRegion, "fromRegion");
            Objects.requireNonNull(toDataCenter, "toDataCenter");
            Objects.requireNonNull(toRegion, "toRegion");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** A participant removed from a data center it had to leave, with nowhere to go (no participant id). */
    public record DisconnectBody(String liveMeetingId, String dataCenter, String region, String reason, Cause cause)
            implements Body {
        public DisconnectBody {
            Objects.requireNonNull(liveMeetingId, "liveMeetingId");
            Objects.requireNonNull(dataCenter, "dataCenter");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Participants on one data center. */
    public record Site(String dataCenter, String region, int participants, boolean primary) {
        public Site {
            Objects.requireNonNull(dataCenter, "dataCenter");
            Objects.requireNonNull(region, "region");
        }
    }

    /**
     * An effective region policy.
     *
     * @param blocked regions no media could touch, sorted
     * @param allowed the allow-list, sorted, when one applied
     * @param sources the parties whose restrictions made it, in the order they were merged
     */
    public record Policy(List<String> blocked, Optional<List<String>> allowed, List<Source> sources) {
        public Policy {
            blocked = List.copyOf(blocked);
            allowed = allowed.map(List::copyOf);
            sources = List.copyOf(sources);
        }
    }

    /** Who restricted a policy: the request itself, or the account's stored policy at a version. */
    public record Source(SourceType type, long version) {
        public Source {
            Objects.requireNonNull(type, "type");
            if (version < 0) {
                throw new IllegalArgumentException("negative policy version");
            }
        }
    }

    /** The kinds of policy source, with their codes in the encoding. */
    public enum SourceType {
        /** Not named in the log (a source this format has no code for). */
        OTHER(0),
        /** The request's own blockedRegions / allowedRegions. */
        REQUEST(1),
        /** The account's stored region policy; the source's version is that policy's version. */
        ACCOUNT(2);

        private final int code;

        SourceType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static SourceType of(int code) {
            for (SourceType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new MalformedEntryException("unknown policy source type " + code);
        }
    }

    /** The undecoded body of a kind whose layout this code does not read. */
    public record OpaqueBody(byte[] bytes) implements Body {
        public OpaqueBody {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OpaqueBody other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "OpaqueBody[" + bytes.length + " bytes]";
        }
    }
}
