package io.meridian.routing;

import java.util.concurrent.ThreadLocalRandom;

/** ULIDs (https://github.com/ulid/spec): 48-bit millisecond time, 80 random bits, Crockford base32. */
final class PlanIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private PlanIds() {
    }

    static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long randomHigh = random.nextLong() & 0xFFFFL;        // 16 bits
        long randomLow = random.nextLong() & 0xFFFFFFFFFFFFFFFFL; // 64 bits
        char[] out = new char[26];
        // 10 chars of time (50 bits, top 2 always zero for 48-bit times)
        long time = epochMillis & 0xFFFFFFFFFFFFL;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 16 chars of randomness: 80 bits = 16 bits high + 64 bits low
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (randomLow & 31)];
            randomLow = (randomLow >>> 5) | ((randomHigh & 31) << 59);
            randomHigh >>>= 5;
        }
        return new String(out);
    }
}
