package io.meridian.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The one place where failures become {@code application/problem+json} responses. Messages are
 * written for API users: they name JSON fields and expected JSON types, never Java classes, and a
 * stack trace never leaves the service.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder builder = respond(e.problem(), uri);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.invalid(List.of(fieldError(e))), uri).build();
    }

    // JAX-RS picks the mapper nearest to the exception's class; these keep the built-in Jackson
    // mappers (which answer plain JSON) from taking the subclasses.
    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonMismatch(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonParse(StreamReadException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        return respond(Problem.invalid(Violations.toFieldErrors(e.getConstraintViolations())), uri).build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.FORBIDDEN, "The token's roles or accounts do not allow this request."),
                uri).build();
    }

    /** One answer for every authentication failure, so that it reveals nothing about the token's flaw. */
    private static Response unauthorized(UriInfo uri) {
        return respond(Problem.of(ProblemType.UNAUTHORIZED,
                        "A valid bearer token is required (Authorization: Bearer <JWT>)."), uri)
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.NOT_FOUND, "No resource at this path."), uri).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request to %s failed with status %d", SecretPaths.redact(uri.getPath()), status);
        }
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info != null ? info.getReasonPhrase() : "HTTP " + status;
        Problem problem = new Problem("about:blank", title, status, detailFor(status), null, null, null);
        Response.ResponseBuilder builder = respond(problem, uri);
        // keep headers that tell the client how to proceed (Allow on 405, for example)
        for (String header : List.of("Allow", "Retry-After", "WWW-Authenticate")) {
            Object value = original.getHeaders().getFirst(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        return builder.build();
    }

    /**
     * The request body could not be read to its end: the client went away, or the HTTP layer cut it
     * off (a body timeout or limit, answered there already). Nothing is wrong with the service.
     */
    @ServerExceptionMapper
    public Response unreadable(java.io.IOException e, UriInfo uri) {
        if (e instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        LOG.debugf("Request body to %s could not be read: %s", uri.getPath(), e.toString());
        return respond(Problem.invalid(List.of(new Problem.FieldError("body",
                "could not be read completely (the connection closed or the body timed out)"))), uri).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (TransientFailures.isUnavailable(e)) {
            // the database said "not now" (a lock waited for too long, no connection to be had): the
            // same request may well succeed a second later, so say so instead of "internal error"
            LOG.warnf("Request to %s failed on a transient database condition: %s", SecretPaths.redact(uri.getPath()),
                    TransientFailures.rootMessage(e));
            return respond(Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE, "The database is busy or unreachable "
                    + "for the moment. Retry after the time in Retry-After."), uri)
                    .header("Retry-After", "1").build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure on %s (error id %s)", SecretPaths.redact(uri.getPath()), errorId);
        Problem problem = new Problem("about:blank", "Internal Server Error", 500,
                "An unexpected error occurred; it was logged with error id " + errorId + ".", null, null, null);
        return respond(problem, uri).build();
    }

    private static Response.ResponseBuilder respond(Problem problem, UriInfo uri) {
        Problem withInstance = problem.instance() == null && uri != null
                ? problem.withInstance(SecretPaths.redact(uri.getRequestUri().getRawPath())) : problem;
        return Response.status(problem.status()).type(PROBLEM_JSON).entity(withInstance);
    }

    private static String detailFor(int status) {
        return switch (status) {
            case 405 -> "This method is not supported on this path.";
            case 406 -> "The service answers with application/json only.";
            case 415 -> "Send the request body as application/json.";
            default -> null;
        };
    }

    /**
     * The field a JSON failure concerns and a message in the client's terms: JSON fields, JSON types,
     * lines and columns. Jackson's own wording (its feature names, Java types, source excerpts) never
     * reaches the client.
     */
    static Problem.FieldError fieldError(JsonProcessingException e) {
        if (e instanceof JsonMappingException && !(e instanceof JsonInputProblem)
                && e.getCause() instanceof StreamReadException cause) {
            e = cause;
        }
        if (e instanceof JsonInputProblem input) {
            return new Problem.FieldError(path(input), input.clientMessage());
        }
        if (e instanceof StreamConstraintsException limit) {
            return new Problem.FieldError("body", constraint(limit.getOriginalMessage()));
        }
        if (e instanceof InputCoercionException range) {
            return new Problem.FieldError(path(range.getProcessor()), range.getTargetType() == Integer.TYPE
                    ? "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    : range.getTargetType() == Long.TYPE
                    ? "must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                    : "is a number out of range");
        }
        if (e instanceof StreamReadException parse && !(e instanceof MismatchedInputException)) {
            return new Problem.FieldError("body", JsonSyntax.describe(parse));
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return new Problem.FieldError("body", "is not valid JSON");
        }
        String path = path(mapping);
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new Problem.FieldError(path, "is not a known field" + (known.isEmpty() ? "" : "; known fields: " + known));
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return new Problem.FieldError(path, "must be one of " + enumNames(format.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String original = String.valueOf(mismatch.getOriginalMessage());
            if (original.contains("end-of-input")) {
                return mapping.getPath().isEmpty()
                        ? new Problem.FieldError("body", "is required: send a JSON object")
                        : new Problem.FieldError("body", "is not valid JSON: the input ends too early");
            }
            if (original.startsWith("Trailing token")) {
                return new Problem.FieldError("body", "has more content after its JSON value");
            }
            if (original.contains("`null`")) {
                return new Problem.FieldError(path, "must not be null");
            }
            Class<?> target = mismatch.getTargetType();
            if (target != null && target.isEnum()) {
                return new Problem.FieldError(path, "must be one of " + enumNames(target));
            }
            return new Problem.FieldError(path, "must be " + jsonType(target));
        }
        return new Problem.FieldError(path, "has an invalid value");
    }

    private static String enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
    }

    /** A limit of Jackson's reader (StreamReadConstraints), in the client's terms. */
    private static String constraint(String message) {
        String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "is nested too deeply (at most 1000 levels)";
        }
        if (m.contains("number value length")) {
            return "has a number with too many digits (at most 1000)";
        }
        if (m.contains("string value length")) {
            return "has a string that is too long";
        }
        if (m.contains("name length")) {
            return "has a field name that is too long";
        }
        return "exceeds a size limit of the JSON reader";
    }

    /** The JSON path of the value a parser was reading, such as {@code participants[2].location}. */
    private static String path(Object processor) {
        if (!(processor instanceof JsonParser parser)) {
            return "body";
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push(c.getCurrentName());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (out.length() > 0 && !part.startsWith("[")) {
                out.append('.');
            }
            out.append(part);
        }
        return out.length() == 0 ? "body" : out.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "body" : out.toString();
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == java.time.Instant.class) {
            return "a string: an RFC 3339 time such as 2026-11-23T07:00:00Z";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

}
