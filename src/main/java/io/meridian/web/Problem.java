package io.meridian.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** An RFC 9457 problem detail, the body of every error response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (media type application/problem+json).")
public record Problem(
        @Schema(description = "URI identifying the problem type; `about:blank` for plain HTTP errors.",
                examples = "https://meridian.example/problems/invalid-request", required = true)
        String type,
        @Schema(description = "Short summary of the problem type.", examples = "Invalid request", required = true)
        String title,
        @Schema(description = "HTTP status code.", examples = "400", required = true)
        int status,
        @Schema(description = "What went wrong in this occurrence.", examples = "The request has 2 invalid fields.")
        String detail,
        @Schema(description = "The request path the problem occurred on.", examples = "/api/v1/routing-plans")
        String instance,
        @Schema(description = "Field-level problems of an invalid request.")
        List<FieldError> errors,
        @Schema(description = "With no-permitted-capacity: participants the permitted headroom cannot take.",
                examples = "120")
        Integer unroutableParticipants) {

    /** One invalid field. */
    @Schema(name = "FieldError", description = "One invalid field of a request.")
    public record FieldError(
            @Schema(description = "Path of the field in the request body.",
                    examples = "participants[2].location.latitude", required = true)
            String field,
            @Schema(description = "What is wrong with it.", examples = "must be between -90 and 90",
                    required = true)
            String message) {
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, null, null);
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : "The request has " + errors.size() + " invalid fields.";
        return new Problem(ProblemType.INVALID_REQUEST.uri(), ProblemType.INVALID_REQUEST.title(), 400, detail,
                null, List.copyOf(errors), null);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors, unroutableParticipants);
    }
}
