package io.meridian.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for times the service takes in, in bodies and query parameters: an RFC 3339
 * date-time string ({@code 2026-11-23T07:00:00Z}, {@code 2026-11-23T08:00:00.5+01:00}; seconds
 * required, fractions up to nanoseconds, {@code T} and {@code Z} in either case) between
 * {@link #EARLIEST} (inclusive) and {@link #LATEST} (exclusive). Years with a sign or more than four
 * digits, JSON numbers and leap seconds are refused. The window keeps every time far inside what
 * {@link Instant}, epoch milliseconds, ULIDs and both databases can hold; no plan, report or window
 * outside it can be meant.
 */
public final class Times {

    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    public static final String MESSAGE = "must be an RFC 3339 time such as 2026-11-23T07:00:00Z, from "
            + "2000-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z";

    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private Times() {
    }

    /** The instant a text names, or empty when it is no RFC 3339 time inside the window. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.length() > 40 || !RFC_3339.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            String upper = text.replace('t', 'T').replace('z', 'Z');
            Instant at = OffsetDateTime.parse(upper).toInstant();
            return at.isBefore(EARLIEST) || !at.isBefore(LATEST) ? Optional.empty() : Optional.of(at);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
