package io.meridian.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * The console's HTTP plumbing on the service's router: {@code /console} redirects to
 * {@code /console/} (so the page's relative URLs resolve), and every response under {@code /console}
 * (the bundled files, the config and the development sign-in) carries {@link ConsoleSecurityHeaders}.
 * A bad console setting stops the start with a message naming it.
 */
@ApplicationScoped
public class ConsoleRoutes {

    /** Runs before the REST and static-file handlers, which register at order 0 and later. */
    private static final int ORDER = -100;

    void register(@Observes Router router, ConsoleConfig config) {
        Map<String, String> headers;
        try {
            headers = ConsoleSecurityHeaders.of(config.oidc().issuer(), config.oidc().extraOrigins());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Refusing to start: " + e.getMessage(), e);
        }
        router.routeWithRegex("^/console/?$|^/console/.*").order(ORDER).handler(ctx -> {
            ctx.addHeadersEndHandler(ignored -> headers.forEach(ctx.response().headers()::set));
            if (ctx.normalizedPath().equals("/console")) {
                String query = ctx.request().query();
                ctx.redirect(query == null ? "/console/" : "/console/?" + query);
                return;
            }
            ctx.next();
        });
    }
}
