package io.meridian.transparency.log;

import java.util.Optional;

/**
 * What kind of routing fact a log entry states; the second byte of every entry. Codes are never
 * reused: a new kind gets the next free code, and a verifier that does not know a code can still
 * check the entry's inclusion (it hashes bytes) and read its common header.
 */
public enum EntryKind {
    /** A routing plan answered 200 ({@code POST /api/v1/routing-plans}). */
    PLAN(1),
    /** A participant placed in a live meeting. */
    JOIN(2),
    /** A participant left a live meeting. */
    LEAVE(3),
    /** A live meeting ended because its lease ran out. */
    EXPIRY(4),
    /** A participant of a live meeting moved to another data center (policy change, DC down). */
    MOVE(5),
    /** A participant removed from a data center it may no longer use, with nowhere to go. */
    DISCONNECT(6),
    /** A videobridge chosen for a Jitsi conference ({@code .../jicofo/{key}/bridge-selection}). */
    BRIDGE_SELECTION(7),
    /** A live meeting ended by its controller. */
    END(8);

    private final int code;

    EntryKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<EntryKind> of(int code) {
        for (EntryKind k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
