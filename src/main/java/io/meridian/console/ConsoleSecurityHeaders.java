package io.meridian.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The response headers of every console response, from the configuration: a strict
 * Content-Security-Policy (scripts, styles and images only from the service itself, no inline code
 * or style attribute, no eval, Trusted Types required so no HTML string can become markup; fetches
 * only to the service and the sign-in provider; never framed) and its companions.
 */
public final class ConsoleSecurityHeaders {

    private ConsoleSecurityHeaders() {
    }

    /** The headers, in a stable order. */
    public static Map<String, String> of(Optional<String> issuer, Optional<List<String>> extraOrigins) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", contentSecurityPolicy(connectOrigins(issuer, extraOrigins)));
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        // the page and its code change with each release: revalidate instead of running old code
        headers.put("Cache-Control", "no-cache");
        return headers;
    }

    static String contentSecurityPolicy(Set<String> connectOrigins) {
        StringBuilder connect = new StringBuilder("'self'");
        connectOrigins.forEach(origin -> connect.append(' ').append(origin));
        return String.join("; ", List.of(
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self'",
                "font-src 'self'",
                "connect-src " + connect,
                "manifest-src 'self'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
                "object-src 'none'",
                "require-trusted-types-for 'script'",
                "trusted-types 'none'"));
    }

    /** The origins of the issuer and the extra origins, each checked. */
    static Set<String> connectOrigins(Optional<String> issuer, Optional<List<String>> extraOrigins) {
        Set<String> origins = new LinkedHashSet<>();
        issuer.filter(s -> !s.isBlank()).ifPresent(s -> origins.add(origin("meridian.console.oidc.issuer", s)));
        for (String extra : extraOrigins.orElse(List.of())) {
            if (!extra.isBlank()) {
                origins.add(origin("meridian.console.oidc.extra-origins", extra));
            }
        }
        return origins;
    }

    /**
     * {@code scheme://host[:port]} of an absolute http(s) URL.
     *
     * @throws IllegalArgumentException naming the setting when the value is not such a URL
     */
    static String origin(String setting, String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(setting + " must be an absolute http(s) URL such as "
                    + "https://login.example.com/realms/meridian, not: " + url);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
