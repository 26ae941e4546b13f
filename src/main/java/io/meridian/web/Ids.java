package io.meridian.web;

/**
 * The one home of the id rules.
 *
 * <ul>
 *   <li>Client-chosen ids (account ids, meeting ids, in paths and bodies): 1-128 ASCII letters,
 *       digits or {@code . _ : @ -}, starting with a letter or digit. {@link #PATTERN} and
 *       {@link #MESSAGE} serve Bean Validation ({@code @Pattern}); {@link #valid} is the same rule
 *       without a regular expression, for the hot paths.</li>
 *   <li>Service-issued ids (plan and reservation ids, paging cursors): ULIDs in their canonical form,
 *       26 characters of Crockford base 32 in upper case, the first at most {@code 7} (a ULID holds
 *       128 bits, so {@code 8ZZZ...} is no ULID). Lower case is refused: the service never issues
 *       it, and one spelling per id keeps ids comparable as text.</li>
 * </ul>
 */
public final class Ids {

    /** Longest client-chosen id. */
    public static final int MAX_LENGTH = 128;
    /** The client-chosen id rule as a regular expression (length checked by the same pattern). */
    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$";
    public static final String MESSAGE = "must be 1-128 ASCII letters, digits or . _ : @ -, starting with a letter or digit";
    public static final String ULID_MESSAGE = "must be a ULID: 26 characters of Crockford base 32 in upper case "
            + "(0-9 and A-Z without I, L, O, U), the first 0-7";

    private Ids() {
    }

    /** Whether {@code id} is a valid client-chosen id ({@link #PATTERN}). */
    public static boolean valid(String id) {
        if (id == null) {
            return false;
        }
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH || !letterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = id.charAt(i);
            if (!letterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '@' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** @throws ProblemException 400 naming {@code field} unless the id is valid */
    public static void require(String field, String id) {
        if (!valid(id)) {
            throw ProblemException.invalid(field, MESSAGE);
        }
    }

    /** Whether {@code id} is a ULID in canonical form. */
    public static boolean validUlid(String id) {
        if (id == null || id.length() != 26 || id.charAt(0) < '0' || id.charAt(0) > '7') {
            return false;
        }
        for (int i = 1; i < 26; i++) {
            char c = id.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean letter = c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U';
            if (!digit && !letter) {
                return false;
            }
        }
        return true;
    }

    /** @throws ProblemException 400 naming {@code field} unless the id is a canonical ULID */
    public static void requireUlid(String field, String id) {
        if (!validUlid(id)) {
            throw ProblemException.invalid(field, ULID_MESSAGE);
        }
    }
}
