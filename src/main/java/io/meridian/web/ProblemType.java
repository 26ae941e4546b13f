package io.meridian.web;

/** The problem types of the API contract: one home for their URIs, titles and statuses. */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", "Invalid request", 400),
    UNAUTHORIZED("unauthorized", "Unauthorized", 401),
    FORBIDDEN("forbidden", "Forbidden", 403),
    NOT_FOUND("not-found", "Not found", 404),
    NOT_YET_SEQUENCED("not-yet-sequenced", "Not yet sequenced", 404),
    EVENTS_EXPIRED("events-expired", "Events expired", 410),
    PRECONDITION_FAILED("precondition-failed", "Precondition failed", 412),
    INTEGRATION_KEY_LIMIT("integration-key-limit", "Integration key limit reached", 409),
    TOO_MANY_PARTICIPANTS("too-many-participants", "Too many participants", 413),
    SIMULATION_TOO_LARGE("simulation-too-large", "Simulation too large", 413),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
    NO_PERMITTED_REGION("no-permitted-region", "No permitted region", 422),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency key reused", 422),
    PRECONDITION_REQUIRED("precondition-required", "Precondition required", 428),
    SIMULATION_BUSY("simulation-busy", "Simulation busy", 429),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests", 429),
    NO_PERMITTED_CAPACITY("no-permitted-capacity", "No permitted capacity", 503),
    TEMPORARILY_UNAVAILABLE("temporarily-unavailable", "Temporarily unavailable", 503);

    /** Prefix of every Meridian problem type URI. */
    public static final String BASE = "https://meridian.example/problems/";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return BASE + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
