package io.meridian.web;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Refuses to start with an HTTP access log that would write integration keys: Quarkus's access log
 * writes the request line and path as they came, and cannot mask a segment, so requests to
 * {@code /api/v1/integrations/...} must be excluded from it ({@code quarkus.http.access-log.exclude-pattern},
 * set so by default). The access log is off unless switched on.
 */
@Singleton
public class AccessLogGuard {

    private static final Logger LOG = Logger.getLogger(AccessLogGuard.class);

    /** A path as Jicofo calls it, with a key of the real shape. */
    static final String SAMPLE = "/api/v1/integrations/jicofo/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/bridge-selection";

    void onStart(@Observes StartupEvent event, Config config) {
        Optional<String> problem = check(config.getOptionalValue("quarkus.http.access-log.enabled", Boolean.class)
                .orElse(false), config.getOptionalValue("quarkus.http.access-log.exclude-pattern", String.class));
        if (problem.isPresent()) {
            LOG.error(problem.get());
            throw new IllegalStateException(problem.get());
        }
    }

    /** Why this access-log configuration would log integration keys, or empty when it would not. */
    static Optional<String> check(boolean enabled, Optional<String> excludePattern) {
        if (!enabled) {
            return Optional.empty();
        }
        boolean excluded;
        try {
            excluded = excludePattern.map(p -> Pattern.compile(p).matcher(SAMPLE).matches()).orElse(false);
        } catch (PatternSyntaxException e) {
            excluded = false;
        }
        return excluded ? Optional.empty() : Optional.of("Refusing to start: the HTTP access log is on and would "
                + "write integration keys, which are part of their URLs. Set quarkus.http.access-log.exclude-pattern "
                + "so that it matches /api/v1/integrations/.* (for example /api/v1/integrations/.*|/q/.*), or switch "
                + "the access log off.");
    }
}
