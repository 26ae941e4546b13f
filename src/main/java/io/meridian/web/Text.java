package io.meridian.web;

/**
 * The one rule for text the service takes in: no control characters (U+0000-U+001F, U+007F-U+009F)
 * and no unpaired surrogates. PostgreSQL cannot store U+0000 at all, an unpaired surrogate is no
 * Unicode text (its UTF-8 encoding silently becomes {@code ?}), and line breaks or escapes in a name
 * or a reason would forge log lines. No field of the API needs any of them, so every JSON string
 * and object key of every request body is held to this rule (see {@link StrictJsonCustomizer}), and
 * so are the texts the service stores from elsewhere (the token's subject).
 */
public final class Text {

    public static final String MESSAGE = "must not contain control characters (U+0000-U+001F, U+007F-U+009F) "
            + "or unpaired surrogates";

    private Text() {
    }

    /** Whether every character of {@code s} may be stored and logged. */
    public static boolean storable(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
