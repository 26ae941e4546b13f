package io.meridian.web;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Problem+json answers for what goes wrong below the API: requests the HTTP decoder refuses (a
 * request line longer than {@code quarkus.http.limits.max-initial-line-length}: 414; headers over
 * {@code quarkus.http.limits.max-header-size}: 431; a malformed request line or header: 400), an
 * unknown HTTP version (505), and request URIs that are not ASCII or whose percent-escapes are not
 * UTF-8 text without control characters (400). Connections that send no complete request head
 * within {@code meridian.http.head-timeout} of opening are closed.
 *
 * <p>Vert.x answers decoder failures itself, with an empty body, through the server's
 * "invalid request handler", which Quarkus offers no way to set. This class sets it on every
 * connection of the main HTTP server by replacing, once at start-up, the per-connection set-up of
 * each of Quarkus' HTTP server instances (found through Vert.x's deployments) with one that also
 * installs this handler. That reaches into Vert.x internals (4.5): {@code HttpLayerProblemsTest}
 * proves it with raw sockets, and if the internals ever change, start-up logs one WARN and the
 * decoder's empty answers come back, nothing else breaks.
 */
@ApplicationScoped
public class HttpLayerProblems {

    private static final Logger LOG = Logger.getLogger(HttpLayerProblems.class);

    private final int maxLine;
    private final long maxHeaders;
    private final Duration headTimeout;

    public HttpLayerProblems(
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096") int maxLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K") MemorySize maxHeaders,
            @ConfigProperty(name = "meridian.http.head-timeout", defaultValue = "10s") Duration headTimeout) {
        this.maxLine = maxLine;
        this.maxHeaders = maxHeaders.asLongValue();
        this.headTimeout = headTimeout;
    }

    private volatile boolean ready;
    /** Tries, 50 ms apart, to find every server instance listening: 30 s. */
    private static final int MAX_ATTEMPTS = 600;

    /**
     * Plain HTTP without the cleartext HTTP/2 upgrade (h2c; HTTP/2 over TLS is unaffected): with it,
     * Vert.x reads a connection's first request head in full before it sets the connection up, so no
     * deadline could reach a client that trickles that head.
     */
    @jakarta.inject.Singleton
    public static class NoCleartextUpgrade implements HttpServerOptionsCustomizer {
        private final Duration headTimeout;

        public NoCleartextUpgrade(@ConfigProperty(name = "meridian.http.head-timeout", defaultValue = "10s")
                                  Duration headTimeout) {
            this.headTimeout = headTimeout;
        }

        @Override
        public void customizeHttpServer(HttpServerOptions options) {
            if (!headTimeout.isZero() && !headTimeout.isNegative()) {
                options.setHttp2ClearTextEnabled(false);
            }
        }
    }

    /**
     * Whether every server instance has been reached. Connections accepted in the moments between
     * the first instance listening and this are set up by Vert.x alone.
     */
    public boolean ready() {
        return ready;
    }

    void checkRequests(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    /** The same checks in the router, for connections the per-connection set-up did not reach. */
    private void check(RoutingContext ctx) {
        if (!refused(ctx.request())) {
            ctx.next();
        }
    }

    /** Answers and returns true when the request's version or URI is refused. */
    boolean refused(HttpServerRequest request) {
        if (request.version() == null) {
            answer(request, 505, "about:blank", "HTTP Version Not Supported",
                    "This service speaks HTTP/1.0, HTTP/1.1 and HTTP/2.");
            return true;
        }
        String problem = uriProblem(request.uri());
        if (problem != null) {
            answer(request, 400, ProblemType.INVALID_REQUEST.uri(), ProblemType.INVALID_REQUEST.title(), problem);
            return true;
        }
        return false;
    }

    /**
     * Why a request URI is refused, or null: it must be printable ASCII (RFC 3986), and what its
     * percent-escapes encode must be UTF-8 ({@code %C0%AF} is an overlong {@code /}) and text
     * without control characters ({@code %00}).
     */
    static String uriProblem(String uri) {
        boolean escapes = false;
        for (int i = 0, n = uri.length(); i < n; i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "The request URI must be printable ASCII; percent-encode anything else as UTF-8.";
            }
            escapes |= c == '%';
        }
        if (!escapes) {
            return null;
        }
        byte[] bytes = new byte[uri.length()];
        int length = 0;
        for (int i = 0, n = uri.length(); i < n; i++) {
            char c = uri.charAt(i);
            if (c == '%') {
                if (i + 2 >= n || Character.digit(uri.charAt(i + 1), 16) < 0 || Character.digit(uri.charAt(i + 2), 16) < 0) {
                    return "The request URI has a '%' that is not followed by two hexadecimal digits.";
                }
                bytes[length++] = (byte) Integer.parseInt(uri.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return "The request URI's percent-escapes are not valid UTF-8 (overlong or invalid sequences are refused).";
        }
        if (!Text.storable(decoded)) {
            return "The request URI's percent-escapes encode control characters (such as %00); ids and parameters "
                    + Text.MESSAGE + ".";
        }
        return null;
    }

    /** Answers a request the HTTP decoder refused. */
    void invalid(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        if (cause instanceof TooLongHttpLineException) {
            answer(request, 414, "about:blank", "URI Too Long", "The request line is longer than " + maxLine
                    + " bytes (quarkus.http.limits.max-initial-line-length).");
        } else if (cause instanceof TooLongHttpHeaderException) {
            answer(request, 431, "about:blank", "Request Header Fields Too Large", "The request's headers are larger "
                    + "than " + maxHeaders + " bytes in all (quarkus.http.limits.max-header-size).");
        } else {
            answer(request, 400, ProblemType.INVALID_REQUEST.uri(), ProblemType.INVALID_REQUEST.title(),
                    "The request is not well-formed HTTP/1.1: its request line or a header is malformed.");
        }
    }

    private static void answer(HttpServerRequest request, int status, String type, String title, String detail) {
        String body = "{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}";
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body).onComplete(done -> request.connection().close());
    }

    /**
     * At start-up (the servers start listening just after this event) and after a dev-mode restart
     * (which keeps the running servers).
     */
    void onRestart(@Observes StartupEvent event, Vertx vertx) {
        installAll(vertx, 0);
    }

    /**
     * Quarkus fires this when the first of its server instances listens; the others may still be
     * starting, so the set-up is tried again until every instance has been reached.
     */
    void onListening(@ObservesAsync HttpServerStart event, Vertx vertx) {
        installAll(vertx, 0);
    }

    private void installAll(Vertx vertx, int attempt) {
        int installed = 0;
        int waiting = 0;
        try {
            VertxInternal internal = (VertxInternal) vertx;
            for (String id : internal.deploymentIDs()) {
                Deployment deployment = internal.getDeployment(id);
                if (deployment == null) {
                    continue;
                }
                for (Verticle verticle : deployment.getVerticles()) {
                    for (Field field : verticle.getClass().getDeclaredFields()) {
                        if (HttpServer.class.isAssignableFrom(field.getType())) {
                            field.setAccessible(true);
                            Object server = field.get(verticle);
                            if (server != null) {
                                if (install(server)) {
                                    installed++;
                                } else {
                                    waiting++;
                                }
                            }
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("HTTP-layer errors (414, 431, malformed requests) answer without a problem body: %s", e);
            return;
        }
        if (waiting == 0 && installed > 0) {
            ready = true;
            LOG.debugf("Problem answers for HTTP-layer errors installed on %d server instances", installed);
        } else if (attempt < MAX_ATTEMPTS) {
            // the servers are not (all) listening yet: the start-up event comes before them
            vertx.setTimer(50, id -> installAll(vertx, attempt + 1));
        } else {
            LOG.warn("HTTP-layer errors (414, 431, malformed requests) answer without a problem body: no listening "
                    + "HTTP server instance was found to install the handler on");
        }
    }

    /** Replaces the connection set-up of one server instance (idempotent); false when it has none yet. */
    private boolean install(Object server) throws ReflectiveOperationException {
        Object worker = field(server.getClass(), "childHandler").get(server);
        if (worker == null) {
            return false;
        }
        Field setup = field(worker.getClass(), "connectionHandler");
        Object original = setup.get(worker);
        // a dev-mode restart finds the set-up of the previous class loader's instance: replace it
        while (original.getClass().getName().equals(Connections.class.getName())) {
            java.lang.reflect.Method next = original.getClass().getDeclaredMethod("next");
            next.setAccessible(true);
            original = next.invoke(original);
        }
        @SuppressWarnings("unchecked")
        Handler<HttpServerConnection> next = (Handler<HttpServerConnection>) original;
        Field requests = field(io.vertx.core.http.impl.Http1xServerConnection.class, "requestHandler");
        setup.set(worker, new Connections(next, requests, this, headTimeout.toMillis()));
        return true;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /**
     * Vert.x's set-up of a new connection, then: this class's handler for invalid requests, the
     * checks of {@link #check} before the router sees a request, and the first head's deadline.
     */
    private record Connections(Handler<HttpServerConnection> next, Field requestHandler, HttpLayerProblems problems,
                               long headMillis) implements Handler<HttpServerConnection> {
        @Override
        public void handle(HttpServerConnection connection) {
            next.handle(connection);
            connection.invalidRequestHandler(problems::invalid);
            if (!(connection instanceof io.vertx.core.http.impl.Http1xServerConnection)) {
                return;
            }
            try {
                @SuppressWarnings("unchecked")
                Handler<HttpServerRequest> requests = (Handler<HttpServerRequest>) requestHandler.get(connection);
                // on the connection's own event loop: no Vert.x context is involved before the first request
                java.util.concurrent.ScheduledFuture<?> deadline = headMillis <= 0 ? null : connection.channel().eventLoop()
                        .schedule((Runnable) connection::close, headMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                connection.handler(new Requests(requests, problems, deadline));
            } catch (IllegalAccessException e) {
                LOG.debugf("request checks not installed on a connection: %s", e);
            }
        }
    }

    /** Every request of a connection: the first cancels the head deadline; each is checked. */
    private static final class Requests implements Handler<HttpServerRequest> {
        private final Handler<HttpServerRequest> next;
        private final HttpLayerProblems problems;
        private java.util.concurrent.ScheduledFuture<?> deadline;

        Requests(Handler<HttpServerRequest> next, HttpLayerProblems problems,
                 java.util.concurrent.ScheduledFuture<?> deadline) {
            this.next = next;
            this.problems = problems;
            this.deadline = deadline;
        }

        @Override
        public void handle(HttpServerRequest request) {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            if (problems.refused(request)) {
                return;
            }
            next.handle(request);
        }
    }
}
