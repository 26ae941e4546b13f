package io.meridian.web;

import java.util.regex.Pattern;

/**
 * Paths that carry a secret: an integration key is a path segment
 * ({@code /api/v1/integrations/jicofo/{integrationKey}/...}), because the client that uses it sends
 * no header we could put it in. Every path the service writes into a problem's {@code instance} or
 * a log line goes through {@link #redact}, so a key never leaves in either.
 */
public final class SecretPaths {

    /** Placeholder written instead of a key. */
    public static final String KEY = "{integrationKey}";

    private static final Pattern INTEGRATION_KEY = Pattern.compile("(/api/v1/integrations/[^/?#]+/)[^/?#]+");

    private SecretPaths() {
    }

    /** The path with any integration key replaced by {@value #KEY}. */
    public static String redact(String path) {
        if (path == null || !path.contains("/integrations/")) {
            return path;
        }
        return INTEGRATION_KEY.matcher(path).replaceAll("$1" + java.util.regex.Matcher.quoteReplacement(KEY));
    }
}
