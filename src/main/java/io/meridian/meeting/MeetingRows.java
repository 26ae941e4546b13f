package io.meridian.meeting;

import io.meridian.core.GeoPoint;
import io.meridian.core.MeetingSites;
import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The stored rows of live meetings, and how their text columns are written and read. */
final class MeetingRows {

    private MeetingRows() {
    }

    /**
     * A meeting's row.
     *
     * @param request the request's own restriction (kept apart: an account policy change remakes the
     *                effective policy from it)
     * @param policy  the effective policy
     * @param policyVersion version of the account's stored policy in it, 0 when none applied
     * @param cascade the sticky cascade over the data centers with participants, when anyone is in
     */
    record Meeting(String id, String label, String accountId, String createdBy, Instant createdAt,
                   RegionPolicy.Restriction request, RegionPolicy policy, long policyVersion,
                   Optional<String> reservationId, Optional<MeetingSites.Cascade> cascade) {

        /** The key of the meeting's routing records: the client's label, else the meeting's own id. */
        String recordKey() {
            return label != null ? label : id;
        }

        /** The same meeting under another effective policy, from the account policy's {@code version}. */
        Meeting withPolicy(RegionPolicy newPolicy, long version) {
            return new Meeting(id, label, accountId, createdBy, createdAt, request, newPolicy, version, reservationId,
                    cascade);
        }
    }

    /**
     * A meeting's aggregates on one data center; {@code top2} is {@code -infinity} below two
     * participants.
     */
    record Site(String dataCenter, int participants, long rttSumMicros, double top1, double top2) {
    }

    /** One participant present. */
    record Present(String participantId, String dataCenter, double rttMs, boolean measured, GeoPoint location,
                   Map<String, Double> measuredRtts, Instant joinedAt) {

        Participant participant() {
            return new Participant(participantId, location, measuredRtts);
        }
    }

    /** An RTT in whole microseconds, as sums are kept. */
    static long micros(double rttMs) {
        return Math.round(rttMs * 1000.0);
    }

    static String codes(SortedSet<String> codes) {
        return String.join(",", codes);
    }

    static SortedSet<String> codes(String text) {
        TreeSet<String> codes = new TreeSet<>();
        if (text != null) {
            for (String code : text.split(",")) {
                if (!code.isEmpty()) {
                    codes.add(code);
                }
            }
        }
        return codes;
    }

    static List<String> sources(String text) {
        List<String> sources = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isEmpty()) {
                sources.add(s);
            }
        }
        return sources;
    }

    /** "primary;from>to,from>to"; null for none. */
    static String cascade(Optional<MeetingSites.Cascade> cascade) {
        if (cascade.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder(cascade.get().primary()).append(';');
        List<MeetingSites.Link> links = cascade.get().links();
        for (int i = 0; i < links.size(); i++) {
            s.append(i == 0 ? "" : ",").append(links.get(i).from()).append('>').append(links.get(i).to());
        }
        return s.toString();
    }

    static Optional<MeetingSites.Cascade> cascade(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        int semi = text.indexOf(';');
        List<MeetingSites.Link> links = new ArrayList<>();
        for (String link : text.substring(semi + 1).split(",")) {
            if (!link.isEmpty()) {
                int arrow = link.indexOf('>');
                links.add(new MeetingSites.Link(link.substring(0, arrow), link.substring(arrow + 1)));
            }
        }
        return Optional.of(new MeetingSites.Cascade(text.substring(0, semi), links));
    }

    /** "dc=ms;dc=ms", sorted by data center; null for none. */
    static String measured(Map<String, Double> rtts) {
        if (rtts.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : new TreeMap<>(rtts).entrySet()) {
            s.append(s.length() == 0 ? "" : ";").append(e.getKey()).append('=').append(e.getValue());
        }
        return s.toString();
    }

    static Map<String, Double> measured(String text) {
        Map<String, Double> rtts = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    rtts.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
                }
            }
        }
        return rtts;
    }
}
