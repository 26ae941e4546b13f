package io.meridian.transparency;

import io.meridian.records.RecordLog;
import io.meridian.records.RoutingRecord;
import io.meridian.transparency.log.EntryFormat;
import io.meridian.transparency.log.EntryKind;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.KeyedHashes;
import io.meridian.transparency.log.LogEntry;
import io.meridian.transparency.log.Merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routing records as log entries: the one place that decides what of a record the log states.
 * Everything but participant ids, with the account and meeting as keyed hashes; the account's
 * policy source carries the policy's version, the account id itself never appears.
 *
 * <p>Plans are kind PLAN, Jicofo bridge selections (records whose strategy is BRIDGE_SELECTION)
 * kind BRIDGE_SELECTION. The records of live meetings are JOIN, LEAVE, EXPIRY and END, with the body
 * layouts docs/transparency.md defines for them (moves and disconnects will be added with theirs).
 */
public final class LogEntries {

    /**
     * The strategy that marks the record of a Jicofo bridge selection (RoutingRecord.BRIDGE_SELECTION
     * of the jicofo branch; one home once both are merged).
     */
    static final String BRIDGE_SELECTION = RoutingRecord.BRIDGE_SELECTION;

    /** Account keys kept; the map is emptied when it grows past this (each key costs one HMAC to redo). */
    static final int KEY_CACHE = 10_000;

    private final KeyedHashes hashes;
    private final ConcurrentHashMap<String, AccountKey> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MeetingKey, Hash> meetings = new ConcurrentHashMap<>();

    private record MeetingKey(String accountId, String meetingId) {
    }

    public LogEntries(KeyedHashes hashes) {
        this.hashes = hashes;
    }

    /** An account's key K_a and its account hash. */
    public record AccountKey(byte[] key, Hash accountHash) {
        @Override
        public byte[] key() {
            return key.clone();
        }
    }

    /** An entry's canonical bytes with the hashes stored beside it. */
    public record Encoded(String factId, long time, byte[] body, Hash leafHash, Optional<Hash> accountHash)
            implements RecordLog.Entry {
        @Override
        public RecordLog.Receipt receipt() {
            return new RecordLog.Receipt(factId, leafHash.base64());
        }
    }

    public AccountKey accountKey(String accountId) {
        AccountKey known = keys.get(accountId);
        if (known != null) {
            return known;
        }
        if (keys.size() >= KEY_CACHE) {
            keys.clear();
        }
        byte[] key = hashes.accountKey(accountId);
        AccountKey made = new AccountKey(key, KeyedHashes.accountHash(key));
        keys.put(accountId, made);
        return made;
    }

    /**
     * A meeting's hash under its account's key. Kept like the account keys: a live meeting's joins and
     * leaves, and a meeting's plans, repeat it (each one an HMAC to redo).
     */
    private Hash meetingHash(String accountId, AccountKey key, String meetingId) {
        MeetingKey id = new MeetingKey(accountId, meetingId);
        Hash known = meetings.get(id);
        if (known != null) {
            return known;
        }
        if (meetings.size() >= KEY_CACHE) {
            meetings.clear();
        }
        Hash made = KeyedHashes.meetingHash(key.key, meetingId);
        meetings.put(id, made);
        return made;
    }

    /** The log entry stating a record. */
    public LogEntry entry(RoutingRecord r) {
        Optional<Hash> account = Optional.empty();
        Optional<Hash> meeting = Optional.empty();
        if (r.accountId() != null) {
            AccountKey key = accountKey(r.accountId());
            account = Optional.of(key.accountHash());
            if (r.meetingId() != null) {
                meeting = Optional.of(meetingHash(r.accountId(), key, r.meetingId()));
            }
        }
        List<LogEntry.Site> sites = new ArrayList<>(r.dataCenters().size());
        for (RoutingRecord.Site s : r.dataCenters()) {
            sites.add(new LogEntry.Site(s.dataCenter(), s.region(), s.participants(), s.primary()));
        }
        List<LogEntry.Source> sources = new ArrayList<>(r.sources().size());
        for (String source : r.sources()) {
            sources.add(source(source, r.policyVersion()));
        }
        LogEntry.Policy policy = new LogEntry.Policy(List.copyOf(r.blocked()), r.allowed().map(List::copyOf), sources);
        if (r.kind() != RoutingRecord.Kind.PLAN) {
            return new LogEntry(kind(r.kind()), r.planId(), r.recordedAt(), account, meeting, live(r, sites, policy));
        }
        if (BRIDGE_SELECTION.equals(r.strategy())) {
            return new LogEntry(EntryKind.BRIDGE_SELECTION, r.planId(), r.recordedAt(), account, meeting,
                    new LogEntry.SelectionBody(sites, policy));
        }
        return new LogEntry(EntryKind.PLAN, r.planId(), r.recordedAt(), account, meeting,
                new LogEntry.PlanBody(r.strategy(), r.participants(), sites, List.copyOf(r.regionsUsed()), policy));
    }

    private static EntryKind kind(RoutingRecord.Kind kind) {
        return switch (kind) {
            case JOIN -> EntryKind.JOIN;
            case LEAVE -> EntryKind.LEAVE;
            case EXPIRY -> EntryKind.EXPIRY;
            case END -> EntryKind.END;
            case MOVE -> EntryKind.MOVE;
            case DISCONNECT -> EntryKind.DISCONNECT;
            case PLAN -> EntryKind.PLAN;
        };
    }

    /** The body of a live meeting's join, leave or end: no participant id, the meeting's own id. */
    private static LogEntry.Body live(RoutingRecord r, List<LogEntry.Site> sites, LogEntry.Policy policy) {
        RoutingRecord.LiveEvent live = r.live().orElseThrow(() ->
                new IllegalArgumentException("a " + r.kind() + " record names its live meeting"));
        String meeting = live.meetingId();
        return switch (r.kind()) {
            case JOIN -> new LogEntry.JoinBody(meeting, sites.get(0).dataCenter(), sites.get(0).region(),
                    live.openedDataCenter(), policy);
            case LEAVE -> new LogEntry.LeaveBody(meeting, sites.get(0).dataCenter(), sites.get(0).region());
            case MOVE -> {
                RoutingRecord.Leaving from = leaving(r, live);
                yield new LogEntry.MoveBody(meeting, from.fromDataCenter(), from.fromRegion(), sites.get(0).dataCenter(),
                        sites.get(0).region(), from.reason(), cause(from), policy);
            }
            case DISCONNECT -> {
                RoutingRecord.Leaving from = leaving(r, live);
                yield new LogEntry.DisconnectBody(meeting, from.fromDataCenter(), from.fromRegion(), from.reason(),
                        cause(from));
            }
            default -> new LogEntry.ReleaseBody(meeting, sites);
        };
    }

    private static RoutingRecord.Leaving leaving(RoutingRecord r, RoutingRecord.LiveEvent live) {
        return live.leaving().orElseThrow(() ->
                new IllegalArgumentException("a " + r.kind() + " record names the data center left"));
    }

    /** The cause as the log codes it: 1 a policy change at its version, 2 a data center's status. */
    private static LogEntry.Cause cause(RoutingRecord.Leaving from) {
        return "POLICY_CHANGE".equals(from.causeType()) ? new LogEntry.Cause(1, from.causeVersion(), "")
                : new LogEntry.Cause(2, 0, from.causeDataCenter());
    }

    /** A policy source without its name: "request", or the account's policy at its version. */
    static LogEntry.Source source(String name, long accountPolicyVersion) {
        if (name.equals("request")) {
            return new LogEntry.Source(LogEntry.SourceType.REQUEST, 0);
        }
        if (name.startsWith("account:")) {
            return new LogEntry.Source(LogEntry.SourceType.ACCOUNT, accountPolicyVersion);
        }
        return new LogEntry.Source(LogEntry.SourceType.OTHER, 0);
    }

    public Encoded encode(RoutingRecord r) {
        LogEntry entry = entry(r);
        byte[] body = EntryFormat.encode(entry);
        return new Encoded(r.planId(), r.recordedAt(), body, new Hash(Merkle.leafHash(body)), entry.accountHash());
    }
}
