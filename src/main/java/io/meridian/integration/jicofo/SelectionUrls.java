package io.meridian.integration.jicofo;

import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Optional;

/**
 * The bridge-selection URL of a key: {@code meridian.public-url} followed by the path, or the path
 * alone when that is not set. Never built from the request's Host header, which the caller chooses.
 * The setting is checked at start, so a bad one stops the service instead of failing a key's creation.
 */
@Startup
@Singleton
public class SelectionUrls {

    private final String base;

    @Inject
    public SelectionUrls(@ConfigProperty(name = "meridian.public-url") Optional<String> publicUrl) {
        this.base = publicUrl.filter(u -> !u.isBlank()).map(SelectionUrls::base).orElse("");
    }

    /** The selection URL carrying {@code key}. */
    public String of(String key) {
        return base + "/api/v1/integrations/jicofo/" + key + "/bridge-selection";
    }

    /** The configured public URL as a base: an absolute http(s) URL, without a trailing slash. */
    static String base(String publicUrl) {
        String url = publicUrl.strip();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("meridian.public-url is not a URL: " + url, e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalStateException("meridian.public-url must be an absolute http(s) URL without query or "
                    + "fragment, such as https://meridian.example.com: " + url);
        }
        return url.replaceAll("/+$", "");
    }
}
