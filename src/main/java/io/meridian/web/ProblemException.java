package io.meridian.web;

import java.util.List;
import java.util.Map;

/** Thrown by adapters to answer with a problem; turned into a response by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException of(ProblemType type, String detail) {
        return new ProblemException(Problem.of(type, detail));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalid(List.of(new Problem.FieldError(field, message))));
    }

    /** At most this many field errors are listed in one 400 answer. */
    public static final int MAX_LISTED_ERRORS = 100;

    /** 400 with the field errors, the first {@link #MAX_LISTED_ERRORS} of them listed. */
    public static ProblemException invalid(List<Problem.FieldError> errors) {
        if (errors.size() <= MAX_LISTED_ERRORS) {
            return new ProblemException(Problem.invalid(errors));
        }
        Problem listed = Problem.invalid(errors.subList(0, MAX_LISTED_ERRORS));
        return new ProblemException(new Problem(listed.type(), listed.title(), listed.status(),
                "The request has " + errors.size() + " invalid fields; the first " + MAX_LISTED_ERRORS
                        + " are listed.", null, listed.errors(), null));
    }

    /**
     * The whole request body; a client that goes away mid-body gets a 400 it will not read, and no
     * ERROR log.
     */
    public static byte[] readBody(java.io.InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            return body.readAllBytes();
        } catch (java.io.IOException e) {
            throw invalid("body", "could not be read completely (the connection closed)");
        }
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
