package io.meridian.records;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Plan and reservation ids: ULIDs (https://github.com/ulid/spec), 48-bit millisecond time then 80
 * random bits, Crockford base32. Ids sort by time, which the routing records use for history order
 * and for retention by id range.
 */
public final class PlanIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    /** 26 Crockford base32 characters, upper case; the first at most 7 (a 48-bit time fills 50 bits). */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");
    public static final String MESSAGE = "must be a plan id: 26 characters of Crockford base 32 (upper case)";

    private PlanIds() {
    }

    /** Whether {@code id} is a well-formed id as {@link #next} makes them. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The millisecond an id was made in (its first 10 characters); only for a {@link #valid} id. */
    public static long timeOf(String id) {
        long time = 0;
        for (int i = 0; i < 10; i++) {
            time = (time << 5) | new String(ALPHABET).indexOf(id.charAt(i));
        }
        return time;
    }

    /** The smallest id of a millisecond: every id made at or after {@code epochMillis} is not smaller. */
    public static String floor(long epochMillis) {
        char[] out = new char[26];
        java.util.Arrays.fill(out, '0');
        encodeTime(epochMillis, out);
        return new String(out);
    }

    private static void encodeTime(long epochMillis, char[] out) {
        long time = epochMillis & 0xFFFFFFFFFFFFL;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
    }

    public static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long randomHigh = random.nextLong() & 0xFFFFL;        // 16 bits
        long randomLow = random.nextLong() & 0xFFFFFFFFFFFFFFFFL; // 64 bits
        char[] out = new char[26];
        // 10 chars of time (50 bits, top 2 always zero for 48-bit times)
        encodeTime(epochMillis, out);
        // 16 chars of randomness: 80 bits = 16 bits high + 64 bits low
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (randomLow & 31)];
            randomLow = (randomLow >>> 5) | ((randomHigh & 31) << 59);
            randomHigh >>>= 5;
        }
        return new String(out);
    }
}
