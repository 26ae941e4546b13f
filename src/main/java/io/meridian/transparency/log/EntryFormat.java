package io.meridian.transparency.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The canonical bytes of a {@link LogEntry}, format version {@value #VERSION}: TLS-style fields in a
 * fixed order (big-endian unsigned integers, byte strings behind a length), every field always
 * present, so one fact has exactly one encoding. docs/transparency.md gives the layout byte by byte
 * with a test vector; in short:
 *
 * <pre>
 *   uint8  version = 1
 *   uint8  kind                      (EntryKind code)
 *   opaque fact_id&lt;1..255&gt;          (the plan id, ASCII)
 *   uint64 time_ms
 *   opaque account_hash&lt;0..255&gt;     (empty, or 32 bytes)
 *   opaque meeting_hash&lt;0..255&gt;     (empty, or 32 bytes)
 *   uint32 body_length, then body    (layout per kind; PLAN below)
 *
 *   PLAN: opaque strategy&lt;1..255&gt;; uint32 participants;
 *         uint16 n; n x { opaque data_center&lt;1..255&gt;; opaque region&lt;1..255&gt;; uint32 participants; uint8 primary }
 *         uint16 n; n x opaque region&lt;1..255&gt;                 (regions used)
 *         uint16 n; n x opaque region&lt;1..255&gt;                 (blocked)
 *         uint8 has_allow_list; [uint16 n; n x opaque region&lt;1..255&gt;]
 *         uint16 n; n x { uint8 source_type; uint64 version }
 *
 *   BRIDGE_SELECTION: the data centers as in PLAN (0 or 1), then the policy as in PLAN
 *   JOIN:   opaque live_meeting_id&lt;1..255&gt;; opaque data_center&lt;1..255&gt;; opaque region&lt;1..255&gt;;
 *           uint8 opened_data_center; the policy as in PLAN
 *   LEAVE:  opaque live_meeting_id&lt;1..255&gt;; opaque data_center&lt;1..255&gt;; opaque region&lt;1..255&gt;
 *   EXPIRY, END: opaque live_meeting_id&lt;1..255&gt;; the data centers as in PLAN (places released)
 * </pre>
 *
 * The body's length prefix lets a reader that does not know a kind still read the header and skip
 * the body; a new kind only adds a body layout. A change to an existing layout takes a new version.
 */
public final class EntryFormat {

    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    private EntryFormat() {
    }

    public static byte[] encode(LogEntry e) {
        byte[] body;
        if (e.body() instanceof LogEntry.PlanBody plan) {
            body = plan(plan);
        } else if (e.body() instanceof LogEntry.SelectionBody selection) {
            Wire.Writer w = new Wire.Writer(96);
            sites(w, selection.dataCenters());
            policy(w, selection.policy());
            body = w.toBytes();
        } else if (e.body() instanceof LogEntry.JoinBody join) {
            Wire.Writer w = new Wire.Writer(96);
            nonEmpty(w, join.liveMeetingId(), "live meeting id");
            nonEmpty(w, join.dataCenter(), "dataCenter");
            nonEmpty(w, join.region(), "region");
            w.u8(join.openedDataCenter() ? 1 : 0);
            policy(w, join.policy());
            body = w.toBytes();
        } else if (e.body() instanceof LogEntry.LeaveBody leave) {
            Wire.Writer w = new Wire.Writer(64);
            nonEmpty(w, leave.liveMeetingId(), "live meeting id");
            nonEmpty(w, leave.dataCenter(), "dataCenter");
            nonEmpty(w, leave.region(), "region");
            body = w.toBytes();
        } else if (e.body() instanceof LogEntry.MoveBody move) {
            Wire.Writer w = new Wire.Writer(128);
            nonEmpty(w, move.liveMeetingId(), "live meeting id");
            nonEmpty(w, move.fromDataCenter(), "from data center");
            nonEmpty(w, move.fromRegion(), "from region");
            nonEmpty(w, move.toDataCenter(), "to data center");
            nonEmpty(w, move.toRegion(), "to region");
            nonEmpty(w, move.reason(), "reason");
            cause(w, move.cause());
            policy(w, move.policy());
            body = w.toBytes();
        } else if (e.body() instanceof LogEntry.DisconnectBody gone) {
            Wire.Writer w = new Wire.Writer(96);
            nonEmpty(w, gone.liveMeetingId(), "live meeting id");
            nonEmpty(w, gone.dataCenter(), "dataCenter");
            nonEmpty(w, gone.region(), "region");
            nonEmpty(w, gone.reason(), "reason");
            cause(w, gone.cause());
            body = w.toBytes();
        } else if (e.body() instanceof LogEntry.ReleaseBody release) {
            Wire.Writer w = new Wire.Writer(64 + 40 * release.released().size());
            nonEmpty(w, release.liveMeetingId(), "live meeting id");
            sites(w, release.released());
            body = w.toBytes();
        } else {
            body = ((LogEntry.OpaqueBody) e.body()).bytes();
        }
        Wire.Writer w = new Wire.Writer(96 + body.length);
        w.u8(VERSION).u8(e.kind().code());
        nonEmpty(w, e.factId(), "factId");
        w.u64(e.timeMillis());
        w.opaque8(e.accountHash().map(Hash::bytes).orElse(new byte[0]));
        w.opaque8(e.meetingHash().map(Hash::bytes).orElse(new byte[0]));
        w.u32(body.length).raw(body);
        return w.toBytes();
    }

    private static byte[] plan(LogEntry.PlanBody p) {
        Wire.Writer w = new Wire.Writer(64 + 40 * p.dataCenters().size());
        nonEmpty(w, p.strategy(), "strategy");
        w.u32(p.participants());
        sites(w, p.dataCenters());
        codes(w, p.regionsUsed());
        policy(w, p.policy());
        return w.toBytes();
    }

    private static void sites(Wire.Writer w, List<LogEntry.Site> sites) {
        w.u16(sites.size());
        for (LogEntry.Site s : sites) {
            nonEmpty(w, s.dataCenter(), "dataCenter");
            nonEmpty(w, s.region(), "region");
            w.u32(s.participants()).u8(s.primary() ? 1 : 0);
        }
    }

    private static void policy(Wire.Writer w, LogEntry.Policy policy) {
        codes(w, policy.blocked());
        w.u8(policy.allowed().isPresent() ? 1 : 0);
        policy.allowed().ifPresent(allowed -> codes(w, allowed));
        w.u16(policy.sources().size());
        for (LogEntry.Source s : policy.sources()) {
            w.u8(s.type().code()).u64(s.version());
        }
    }

    private static void codes(Wire.Writer w, List<String> codes) {
        w.u16(codes.size());
        for (String c : codes) {
            nonEmpty(w, c, "region");
        }
    }

    private static void cause(Wire.Writer w, LogEntry.Cause cause) {
        w.u8(cause.type()).u64(cause.version()).string8(cause.dataCenter());
    }

    private static void nonEmpty(Wire.Writer w, String s, String what) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        w.string8(s);
    }

    /**
     * Reads an entry, strictly: any excess or missing byte, an unknown version, a hash of the wrong
     * length or a flag other than 0/1 is refused. A kind without a known body layout keeps its body
     * as {@link LogEntry.OpaqueBody}.
     *
     * @throws MalformedEntryException when the bytes are not an entry of this format
     */
    public static LogEntry decode(byte[] bytes) {
        Wire.Reader r = new Wire.Reader(bytes);
        int version = r.u8("version");
        if (version != VERSION) {
            throw new MalformedEntryException("entry format version " + version + " (this code reads " + VERSION + ")");
        }
        int code = r.u8("kind");
        EntryKind kind = EntryKind.of(code)
                .orElseThrow(() -> new MalformedEntryException("unknown entry kind " + code));
        String factId = nonEmpty(r, "fact id");
        long time = r.u64("time");
        Optional<Hash> account = hash(r, "account hash");
        Optional<Hash> meeting = hash(r, "meeting hash");
        long length = r.u32("body length");
        if (length > bytes.length) {
            throw new MalformedEntryException("body length " + length + " exceeds the entry");
        }
        int start = r.position();
        r.skip((int) length, "body");
        r.end("the entry");
        Wire.Reader in = new Wire.Reader(bytes, start, start + (int) length);
        LogEntry.Body body = switch (kind) {
            case PLAN -> plan(in);
            case BRIDGE_SELECTION -> selection(in);
            case JOIN -> join(in);
            case LEAVE -> leave(in);
            case EXPIRY, END -> release(in);
            case MOVE -> move(in);
            case DISCONNECT -> disconnect(in);
            default -> new LogEntry.OpaqueBody(Arrays.copyOfRange(bytes, start, start + (int) length));
        };
        return new LogEntry(kind, factId, time, account, meeting, body);
    }

    private static Optional<Hash> hash(Wire.Reader r, String what) {
        byte[] h = r.opaque8(what);
        if (h.length == 0) {
            return Optional.empty();
        }
        if (h.length != Merkle.HASH_BYTES) {
            throw new MalformedEntryException(what + " has " + h.length + " bytes, not 0 or 32");
        }
        return Optional.of(new Hash(h));
    }

    private static LogEntry.PlanBody plan(Wire.Reader r) {
        String strategy = nonEmpty(r, "strategy");
        long participants = r.u32("participants");
        if (participants > Integer.MAX_VALUE) {
            throw new MalformedEntryException("participants out of range");
        }
        List<LogEntry.Site> dataCenters = sites(r);
        List<String> used = codes(r, "regions used");
        LogEntry.Policy policy = policy(r);
        r.end("the plan body");
        return new LogEntry.PlanBody(strategy, (int) participants, dataCenters, used, policy);
    }

    private static LogEntry.SelectionBody selection(Wire.Reader r) {
        List<LogEntry.Site> dataCenters = sites(r);
        LogEntry.Policy policy = policy(r);
        r.end("the bridge selection body");
        return new LogEntry.SelectionBody(dataCenters, policy);
    }

    private static LogEntry.JoinBody join(Wire.Reader r) {
        String meeting = nonEmpty(r, "live meeting id");
        String dc = nonEmpty(r, "data center");
        String region = nonEmpty(r, "region");
        boolean opened = r.bool("opened data center");
        LogEntry.Policy policy = policy(r);
        r.end("the join body");
        return new LogEntry.JoinBody(meeting, dc, region, opened, policy);
    }

    private static LogEntry.LeaveBody leave(Wire.Reader r) {
        String meeting = nonEmpty(r, "live meeting id");
        String dc = nonEmpty(r, "data center");
        String region = nonEmpty(r, "region");
        r.end("the leave body");
        return new LogEntry.LeaveBody(meeting, dc, region);
    }

    private static LogEntry.MoveBody move(Wire.Reader r) {
        String meeting = nonEmpty(r, "live meeting id");
        String fromDc = nonEmpty(r, "from data center");
        String fromRegion = nonEmpty(r, "from region");
        String toDc = nonEmpty(r, "to data center");
        String toRegion = nonEmpty(r, "to region");
        String reason = nonEmpty(r, "reason");
        LogEntry.Cause cause = cause(r);
        LogEntry.Policy policy = policy(r);
        r.end("the move body");
        return new LogEntry.MoveBody(meeting, fromDc, fromRegion, toDc, toRegion, reason, cause, policy);
    }

    private static LogEntry.DisconnectBody disconnect(Wire.Reader r) {
        String meeting = nonEmpty(r, "live meeting id");
        String dc = nonEmpty(r, "data center");
        String region = nonEmpty(r, "region");
        String reason = nonEmpty(r, "reason");
        LogEntry.Cause cause = cause(r);
        r.end("the disconnect body");
        return new LogEntry.DisconnectBody(meeting, dc, region, reason, cause);
    }

    private static LogEntry.Cause cause(Wire.Reader r) {
        int type = r.u8("cause type");
        long version = r.u64("cause version");
        String dc = r.string8("cause data center");
        if (type < 1 || version < 0) {
            throw new MalformedEntryException("cause type " + type + " or version out of range");
        }
        return new LogEntry.Cause(type, version, dc);
    }

    private static LogEntry.ReleaseBody release(Wire.Reader r) {
        String meeting = nonEmpty(r, "live meeting id");
        List<LogEntry.Site> released = sites(r);
        r.end("the release body");
        return new LogEntry.ReleaseBody(meeting, released);
    }

    private static List<LogEntry.Site> sites(Wire.Reader r) {
        int sites = r.u16("data center count");
        List<LogEntry.Site> dataCenters = new ArrayList<>(sites);
        for (int i = 0; i < sites; i++) {
            String dc = nonEmpty(r, "data center");
            String region = nonEmpty(r, "region");
            long n = r.u32("participants of a data center");
            if (n > Integer.MAX_VALUE) {
                throw new MalformedEntryException("participants of a data center out of range");
            }
            dataCenters.add(new LogEntry.Site(dc, region, (int) n, r.bool("primary")));
        }
        return dataCenters;
    }

    private static LogEntry.Policy policy(Wire.Reader r) {
        List<String> blocked = codes(r, "blocked regions");
        Optional<List<String>> allowed = r.bool("allow-list flag") ? Optional.of(codes(r, "allowed regions"))
                : Optional.empty();
        int count = r.u16("source count");
        List<LogEntry.Source> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sources.add(new LogEntry.Source(LogEntry.SourceType.of(r.u8("source type")), r.u64("policy version")));
        }
        return new LogEntry.Policy(blocked, allowed, sources);
    }

    private static List<String> codes(Wire.Reader r, String what) {
        int n = r.u16(what + " count");
        List<String> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            codes.add(nonEmpty(r, what));
        }
        return codes;
    }

    private static String nonEmpty(Wire.Reader r, String what) {
        String s = r.string8(what);
        if (s.isEmpty()) {
            throw new MalformedEntryException(what + " is empty");
        }
        return s;
    }
}
