package io.meridian.web;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every endpoint that takes a body ({@code @Consumes}) takes JSON, and says so: a body sent without
 * a Content-Type, or as anything but {@code application/json} (optionally {@code charset=utf-8},
 * the only encoding of JSON, RFC 8259), answers 415. The framework itself refuses other media types
 * but reads a body without any Content-Type as if it were JSON.
 */
public class JsonBodies {

    private final Map<Method, Boolean> takesBody = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void requireJson(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !takesBody.computeIfAbsent(method, m -> m.isAnnotationPresent(Consumes.class)
                || resource.getResourceClass().isAnnotationPresent(Consumes.class))) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (header == null || header.isBlank()) {
            throw unsupported("The request has no Content-Type: send the body as application/json.");
        }
        MediaType type;
        try {
            type = MediaType.valueOf(header);
        } catch (IllegalArgumentException e) {
            throw unsupported("The Content-Type is not a media type: send the body as application/json.");
        }
        if (!"application".equalsIgnoreCase(type.getType()) || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw unsupported("Send the request body as application/json.");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
            throw unsupported("JSON is UTF-8: send the body as application/json without a charset, or with "
                    + "charset=utf-8.");
        }
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(new Problem("about:blank", "Unsupported Media Type", 415, detail, null, null,
                null));
    }
}
