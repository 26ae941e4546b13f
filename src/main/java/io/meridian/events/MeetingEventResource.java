package io.meridian.events;

import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Problem;
import io.meridian.web.ProblemMapper;
import io.meridian.web.Security;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/v1/meeting-events}: the events of the caller's live meetings, as JSON pages (with an
 * optional long poll) or as a server-sent event stream. Both read the same durable log, so any
 * replica serves the same sequence.
 */
@Path("/api/v1/meeting-events")
@Tag(name = "Live meetings")
@RolesAllowed(Roles.MEETING_CLIENT)
@SecurityRequirement(name = Security.BEARER)
@APIResponse(responseCode = "400", description = "after or Last-Event-ID not a sequence number (or after the last "
        + "event), limit or waitSeconds out of range, or a meetingId no meeting could have.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
@APIResponse(responseCode = "404", description = "meeting= names no meeting of this caller.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "410", description = "events-expired: events after the position asked for were deleted "
        + "(meridian.meetings.event-retention); the header and the detail name the oldest event kept.",
        headers = @Header(name = EventPages.OLDEST_HEADER, description = "The oldest sequence number kept.",
                schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "events-expired", value = EventExamples.PROBLEM_EXPIRED)))
@APIResponse(responseCode = "503", description = "temporarily-unavailable: the database is unreachable.",
        headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class MeetingEventResource {

    private final EventPages pages;
    private final EventFeedService feed;
    private final AccountScope scope;

    @Inject
    public MeetingEventResource(EventPages pages, EventFeedService feed, AccountScope scope) {
        this.pages = pages;
        this.feed = feed;
        this.scope = scope;
    }

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listMeetingEvents", summary = "Events of the caller's live meetings",
            description = "As application/json: one page of events after after=, in sequence order; pass next as "
                    + "after= to read on. With waitSeconds, an empty page waits up to that long and answers as soon as "
                    + "an event arrives. As text/event-stream: every event after Last-Event-ID (or after=) as it "
                    + "happens, id: its seq, event: its type, data: its JSON; comments as heartbeats. Only events of "
                    + "meetings the caller created; meeting= or meetingId= narrows them.")
    @APIResponse(responseCode = "200", description = "A page of events, or the event stream.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventPage.class),
                    examples = @ExampleObject(name = "a meeting's life", value = EventExamples.PAGE)),
            @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                    description = "id: <seq>\\nevent: <type>\\ndata: <MeetingEvent JSON>\\n\\n, and : comment lines"))})
    public CompletionStage<Response> page(
            @Parameter(description = "Read events after this sequence number; 0 (the default): from the oldest kept.")
            @QueryParam("after") String after,
            @Parameter(description = "Most events in the page, 1-1000.", example = "100") @QueryParam("limit") String limit,
            @Parameter(description = "When no event is there yet, wait up to this many seconds (0-30) for one.")
            @QueryParam("waitSeconds") String waitSeconds,
            @Parameter(description = "Only events of this live meeting (its id).") @QueryParam("meeting") String meeting,
            @Parameter(description = "Only events of meetings with this label.") @QueryParam("meetingId") String meetingId,
            @Parameter(description = "An SSE client's resume position; wins over after=.")
            @HeaderParam("Last-Event-ID") String lastEventId, @Context UriInfo uri) {
        EventRequests.requireOnceEach(uri.getQueryParameters());
        long from = EventRequests.after(lastEventId, after);
        int max = EventRequests.limit(limit);
        int wait = EventRequests.waitSeconds(waitSeconds);
        EventFilter filter = filter(meeting, meetingId);
        long start = pages.start(filter, from, field(lastEventId));
        EventReader.Page first = pages.page(filter, start, max);
        if (!first.events().isEmpty() || wait == 0) {
            return CompletableFuture.completedFuture(answer(first));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(wait).toNanos();
        return poll(filter, first.next(), max, deadline);
    }

    /** Waits for an event of the caller after {@code after}, then reads; again while the page is empty and time is left. */
    private CompletionStage<Response> poll(EventFilter filter, long after, int max, long deadline) {
        long left = deadline - System.nanoTime();
        return feed.feed().await(filter.owner(), after, Duration.ofNanos(Math.max(0, left)))
                .thenApplyAsync(ignored -> pages.page(filter, after, max), Infrastructure.getDefaultWorkerPool())
                .thenCompose(page -> page.events().isEmpty() && deadline - System.nanoTime() > 0
                        ? poll(filter, page.next(), max, deadline)
                        : CompletableFuture.completedFuture(answer(page)));
    }

    private static Response answer(EventReader.Page page) {
        return Response.ok(EventPage.json(page), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(hidden = true)
    public void stream(@QueryParam("after") String after, @QueryParam("meeting") String meeting,
                       @QueryParam("meetingId") String meetingId, @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse, @Context HttpServerResponse response,
                       @Context UriInfo uri) {
        EventRequests.requireOnceEach(uri.getQueryParameters());
        long from = EventRequests.after(lastEventId, after);
        EventFilter filter = filter(meeting, meetingId);
        long start = pages.start(filter, from, field(lastEventId));
        // no cache and no proxy may hold the stream back or keep it
        response.putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        feed.feed().open(filter, start, new SinkClient(sink, sse));
    }

    private EventFilter filter(String meeting, String meetingId) {
        return new EventFilter(scope.caller(), EventRequests.meeting(meeting), EventRequests.label(meetingId));
    }

    private static String field(String lastEventId) {
        return lastEventId != null ? "Last-Event-ID" : "after";
    }
}
