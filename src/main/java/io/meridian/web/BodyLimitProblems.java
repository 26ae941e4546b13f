package io.meridian.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Request bodies, before any endpoint sees them: a body must arrive in full within
 * {@code meridian.http.body-timeout} of the request's head, else 408 and the connection closes, so a
 * slow client (a body trickled byte by byte) holds nothing past the timeout; nor does one answered
 * 413 before its body ended, whose connection closes at the same timeout unless the client has
 * finished sending by then (closing at once could reset the connection before the client reads the
 * answer). A declared body over
 * {@code quarkus.http.limits.max-body-size} is refused before it is read; a chunked body is read in
 * full here and counted against the limit (the framework's own count answered an empty 413 and
 * logged two ERROR lines). Both answer 413 problem+json:
 * {@code too-many-participants} on routing plans, as the contract says, {@code payload-too-large}
 * elsewhere.
 */
@ApplicationScoped
public class BodyLimitProblems {

    static final String PLANS = "/api/v1/routing-plans";

    void install(@Observes Router router,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                 @ConfigProperty(name = "meridian.http.body-timeout", defaultValue = "10s") Duration bodyTimeout) {
        long limit = maxBodySize.asLongValue();
        String detail = "The request body is larger than the limit of " + limit + " bytes (quarkus.http.limits.max-body-size).";
        String plans = problem(ProblemType.TOO_MANY_PARTICIPANTS, detail);
        String other = problem(ProblemType.PAYLOAD_TOO_LARGE, detail);
        String late = "{\"type\":\"about:blank\",\"title\":\"Request Timeout\",\"status\":408,\"detail\":\"The request "
                + "body did not arrive in full within " + bodyTimeout.toMillis() + " ms (meridian.http.body-timeout).\"}";
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limit).setMergeFormAttributes(false);
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, limit)) {
                refuseTooLarge(ctx, tooLarge(ctx, plans, other), bodyTimeout);
                return;
            }
            boolean body = length != null ? !length.strip().equals("0") : request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
            if (!body) {
                ctx.next();
                return;
            }
            if (!bodyTimeout.isZero() && !bodyTimeout.isNegative()) {
                long timer = ctx.vertx().setTimer(bodyTimeout.toMillis(), id -> {
                    if (!request.isEnded() && !ctx.response().headWritten()) {
                        reject(ctx, 408, late, true);
                    }
                });
                ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
            }
            if (length != null) {
                // declared and within the limit: the endpoint reads it (its reader holds the timeout above)
                ctx.next();
                return;
            }
            // chunked: read in full here, where its size is counted against the limit
            request.resume();
            bodies.handle(ctx);
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                refuseTooLarge(ctx, tooLarge(ctx, plans, other), bodyTimeout);
            } else if (ctx.response().headWritten()) {
                // answered already (a timeout, a limit): the rest of the body is of no interest
                ctx.request().connection().close();
            } else {
                ctx.next();
            }
        });
    }

    private static String problem(ProblemType type, String detail) {
        return "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":" + type.status()
                + ",\"detail\":\"" + detail + "\"}";
    }

    private static String tooLarge(RoutingContext ctx, String plans, String other) {
        return ctx.request().path() != null && ctx.request().path().startsWith(PLANS) ? plans : other;
    }

    private static boolean tooLong(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.strip()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Answers 413 before the body has arrived. Vert.x closes the connection once the client has
     * finished sending (closing at once could reset it before the client reads the answer); a
     * client that never finishes is cut off at the body timeout. (Only these answers get a timer
     * that outlives the request: a timer kept for every request would hold each one's context.)
     */
    private static void refuseTooLarge(RoutingContext ctx, String body, Duration bodyTimeout) {
        var connection = ctx.request().connection();
        long linger = bodyTimeout.isZero() || bodyTimeout.isNegative() ? 10_000 : bodyTimeout.toMillis();
        reject(ctx, 413, body, false);
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            // an HTTP/2 connection carries other requests too: its stream ended with the answer
            ctx.vertx().setTimer(linger, id -> connection.close());
        }
    }

    /** Answers; {@code close}: at once (a slow client), else after Vert.x has let the client finish sending. */
    private static void reject(RoutingContext ctx, int status, String body, boolean close) {
        var done = ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
        if (close) {
            done.onComplete(ended -> ctx.request().connection().close());
        }
    }
}
