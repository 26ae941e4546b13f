package io.meridian.core;

import java.util.Optional;

/**
 * Codes (region codes, country codes, enum names) are ASCII and are compared as ASCII: only
 * {@code a-z} fold to {@code A-Z}. Java's Unicode case mapping would read a Turkish dotless
 * {@code ı} as {@code I} and a long {@code ſ} as {@code S}, so {@code "ın"} would name India; here
 * any character outside printable ASCII makes the code unknown, and nothing is trimmed.
 */
public final class Ascii {

    private Ascii() {
    }

    /**
     * The code in upper case, or empty when it is not 1 or more printable ASCII characters
     * ({@code !} to {@code ~}; a space, a control character or anything beyond ASCII refuses it).
     */
    public static Optional<String> upperCode(String code) {
        if (code == null || code.isEmpty()) {
            return Optional.empty();
        }
        char[] out = null;
        for (int i = 0, n = code.length(); i < n; i++) {
            char c = code.charAt(i);
            if (c < '!' || c > '~') {
                return Optional.empty();
            }
            if (c >= 'a' && c <= 'z') {
                if (out == null) {
                    out = code.toCharArray();
                }
                out[i] = (char) (c - ('a' - 'A'));
            }
        }
        return Optional.of(out == null ? code : new String(out));
    }
}
