package io.meridian.web;

import java.util.regex.Pattern;

/** The one rule for account and meeting ids in paths: 1-128 letters, digits or {@code . _ : @ -}. */
public final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    public static final String MESSAGE = "must be 1-128 letters, digits or . _ : @ -, starting with a letter or digit";

    private Ids() {
    }

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** @throws ProblemException 400 naming {@code field} unless the id is valid */
    public static void require(String field, String id) {
        if (!valid(id)) {
            throw ProblemException.invalid(field, MESSAGE);
        }
    }
}
