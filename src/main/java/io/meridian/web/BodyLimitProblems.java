package io.meridian.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers bodies over {@code quarkus.http.limits.max-body-size} with a problem+json 413 instead of
 * the HTTP layer's empty one: at once when the declared Content-Length is too large (nothing is
 * read), and when a chunked body turns out too large while it is read.
 */
@ApplicationScoped
public class BodyLimitProblems {

    void install(@Observes Router router,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long limit = maxBodySize.asLongValue();
        String body = "{\"type\":\"" + ProblemType.TOO_MANY_PARTICIPANTS.uri() + "\",\"title\":\""
                + ProblemType.TOO_MANY_PARTICIPANTS.title() + "\",\"status\":413,\"detail\":\"The request body is larger "
                + "than the limit of " + limit + " bytes.\"}";
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, limit)) {
                reject(ctx, body);
                return;
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                reject(ctx, body);
            } else {
                ctx.next();
            }
        });
    }

    private static boolean tooLong(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.strip()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void reject(RoutingContext ctx, String body) {
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
