package io.meridian.events;

import io.meridian.web.Ids;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feed's query parameters and resume header, checked: every bad value is a 400 naming it (a
 * meeting id no meeting of the caller has is a 404, as on the meeting endpoints).
 */
final class EventRequests {

    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_WAIT_SECONDS = 30;
    private static final String SEQ = "must be a sequence number: a non-negative integer of at most 18 digits";

    private EventRequests() {
    }

    /** The query parameters the feed reads. */
    static final List<String> PARAMETERS = List.of("after", "limit", "waitSeconds", "meeting", "meetingId");

    /** Each of the feed's parameters at most once, and never empty (JAX-RS would read both as absent). */
    static void requireOnceEach(Map<String, List<String>> query) {
        for (String name : PARAMETERS) {
            List<String> values = query.get(name);
            if (values != null && values.size() > 1) {
                throw ProblemException.invalid(name, "is given more than once");
            }
            if (values != null && values.get(0).isEmpty()) {
                throw ProblemException.invalid(name, "is empty; leave it out for its default");
            }
        }
    }

    /**
     * Where to resume: {@code Last-Event-ID} when sent (an SSE client's reconnect), else {@code after},
     * else 0 (from the oldest event kept).
     */
    static long after(String lastEventId, String after) {
        if (lastEventId != null) {
            return sequence("Last-Event-ID", lastEventId);
        }
        return after == null ? 0 : sequence("after", after);
    }

    static long sequence(String field, String text) {
        int n = text.length();
        if (n == 0 || n > 18) {
            throw ProblemException.invalid(field, SEQ);
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw ProblemException.invalid(field, SEQ);
            }
        }
        return Long.parseLong(text);
    }

    static int limit(String text) {
        return bounded("limit", text, 1, MAX_LIMIT, DEFAULT_LIMIT);
    }

    static int waitSeconds(String text) {
        return bounded("waitSeconds", text, 0, MAX_WAIT_SECONDS, 0);
    }

    private static int bounded(String field, String text, int min, int max, int absent) {
        if (text == null) {
            return absent;
        }
        String message = "must be an integer from " + min + " to " + max;
        if (text.isEmpty() || text.length() > 4) {
            throw ProblemException.invalid(field, message);
        }
        long v;
        try {
            v = sequence(field, text);
        } catch (ProblemException e) {
            throw ProblemException.invalid(field, message);
        }
        if (v < min || v > max) {
            throw ProblemException.invalid(field, message);
        }
        return (int) v;
    }

    /** The label filter: a meeting label as the create request takes it. */
    static Optional<String> label(String meetingId) {
        if (meetingId == null) {
            return Optional.empty();
        }
        Ids.require("meetingId", meetingId);
        return Optional.of(meetingId);
    }

    /** A meeting id that cannot be one of the service's: as unknown (404). */
    static Optional<String> meeting(String meeting) {
        if (meeting == null) {
            return Optional.empty();
        }
        if (!Ids.validUlid(meeting)) {
            throw notFound();
        }
        return Optional.of(meeting);
    }

    static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "There is no meeting with this id of this caller.");
    }
}
