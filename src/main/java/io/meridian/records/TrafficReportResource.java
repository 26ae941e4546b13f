package io.meridian.records;

import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.Security;
import io.meridian.web.Times;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Facts about where an account's traffic went, from the routing records: the traffic report over a
 * window and a meeting's routing history. Region admins see their own accounts; ops see every account.
 *
 * <p>Records are written asynchronously. Before answering, this replica writes what it still has
 * queued, so a client sees its own plans at once; plans made on other replicas appear within
 * {@code meridian.records.flush-interval}.
 */
@Path("/api/v1/accounts/{accountId}")
@Tag(name = "Transparency")
@RolesAllowed({Roles.REGION_ADMIN, Roles.OPS})
@SecurityRequirement(name = Security.BEARER)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid account id, meeting id, window or paging parameter.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
public class TrafficReportResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(2);

    private final RecordStore store;
    private final RoutingRecords records;
    private final RecordsConfig config;
    private final AccountScope scope;
    private final SecurityIdentity identity;

    @Inject
    public TrafficReportResource(RecordStore store, RoutingRecords records, RecordsConfig config, AccountScope scope,
                                SecurityIdentity identity) {
        this.store = store;
        this.records = records;
        this.config = config;
        this.scope = scope;
        this.identity = identity;
    }

    @GET
    @Path("/traffic-report")
    @Operation(operationId = "getTrafficReport", summary = "Where an account's meetings went in a time window",
            description = "Counts the recorded plans of the account made in [from, to): participants and meetings "
                    + "per region (live-meeting joins count as participants placed, next to plans), and "
                    + "policyViolations, the plans and joins that used a region their own recorded effective policy "
                    + "excluded (always 0). Region admins of the account, or ops.")
    @APIResponse(responseCode = "200", description = "The report.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrafficReportViews.TrafficReport.class)))
    public TrafficReportViews.TrafficReport trafficReport(
            @Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId,
            @Parameter(description = "Start of the window, inclusive (RFC 3339).", required = true,
                    example = "2026-11-01T00:00:00Z") @QueryParam("from") String from,
            @Parameter(description = "End of the window, exclusive (RFC 3339); after from, at most "
                    + "meridian.records.max-report-window (default 92 days) later.", required = true,
                    example = "2026-11-23T00:00:00Z") @QueryParam("to") String to) {
        authorize(accountId);
        List<Problem.FieldError> errors = new ArrayList<>();
        Instant start = time("from", from, errors);
        Instant end = time("to", to, errors);
        if (errors.isEmpty()) {
            if (!start.isBefore(end)) {
                errors.add(new Problem.FieldError("to", "must be after from"));
            } else if (Duration.between(start, end).compareTo(config.maxReportWindow()) > 0) {
                errors.add(new Problem.FieldError("to", "the window may be at most " + config.maxReportWindow()
                        .toDays() + " days long (meridian.records.max-report-window)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        records.flush(FLUSH_WAIT);
        long fromMs = start.toEpochMilli();
        long toMs = end.toEpochMilli();
        TrafficTally tally = store.tally(accountId, fromMs, toMs);
        TrafficTally.Totals totals = tally.totals();
        List<TrafficReportViews.RegionShare> byRegion = new ArrayList<>();
        for (TrafficTally.RegionTotals r : tally.byRegion()) {
            double share = totals.participants() == 0 ? 0 : (double) r.participants() / totals.participants();
            byRegion.add(new TrafficReportViews.RegionShare(r.region(), r.participants(),
                    Math.round(share * 1e6) / 1e6, r.meetings()));
        }
        return new TrafficReportViews.TrafficReport(accountId, start.toString(), end.toString(), totals.plans(),
                totals.participants(), totals.meetings(), byRegion, totals.policyViolations(), totals.bridgeSelections(),
                totals.joins());
    }

    @GET
    @Path("/meetings/{meetingId}/routing-history")
    @Operation(operationId = "getMeetingRoutingHistory", summary = "Every recorded plan of a meeting, newest first",
            description = "Pages of at most `limit` plans; when more exist, a `Link` header with rel=\"next\" gives "
                    + "the next page (keyset paging on the plan id, stable while new plans arrive). A live meeting's "
                    + "joins, leaves and end are listed too (kind JOIN, LEAVE, END, EXPIRY), under its label, or its "
                    + "id when it has none. An empty list when the meeting has no recorded plan. Region admins of the "
                    + "account, or ops.")
    @APIResponse(responseCode = "200", description = "One page of the meeting's plans, newest first.",
            headers = @Header(name = "Link", description = "`<url>; rel=\"next\"` when there are older plans.",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
                    implementation = TrafficReportViews.HistoryEntry.class)))
    public Response routingHistory(
            @Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId,
            @Parameter(description = "Meeting id, as sent in routing requests.", example = "weekly-sync-42")
            @PathParam("meetingId") String meetingId,
            @Parameter(description = "Page size, 1-1000 (default 100).", example = "100") @QueryParam("limit") String limit,
            @Parameter(description = "Plan id from the previous page's Link header: only older plans.")
            @QueryParam("before") String before) {
        authorize(accountId);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!Ids.valid(meetingId)) {
            errors.add(new Problem.FieldError("meetingId", Ids.MESSAGE));
        }
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                errors.add(new Problem.FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        if (before != null && !Ids.validUlid(before)) {
            errors.add(new Problem.FieldError("before", Ids.ULID_MESSAGE + " (a plan id from a Link header)"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        records.flush(FLUSH_WAIT);
        List<RoutingRecord> page = store.history(accountId, meetingId, Optional.ofNullable(before), size + 1);
        boolean more = page.size() > size;
        List<TrafficReportViews.HistoryEntry> entries = page.stream().limit(size).map(TrafficReportViews::entry).toList();
        Response.ResponseBuilder response = Response.ok(entries);
        if (more) {
            // relative, built from the validated ids: never from the request's Host (a client could
            // make the service emit links to any host); RFC 8288 resolves it against the request URI
            String last = entries.get(entries.size() - 1).planId();
            response.header("Link", "</api/v1/accounts/" + accountId + "/meetings/" + meetingId
                    + "/routing-history?before=" + last + "&limit=" + size + ">; rel=\"next\"");
        }
        return response.build();
    }

    private void authorize(String accountId) {
        Ids.require("accountId", accountId);
        if (!identity.hasRole(Roles.OPS)) {
            scope.requireAccount(accountId);
        }
    }

    private static Instant time(String field, String value, List<Problem.FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new Problem.FieldError(field, "is required: an RFC 3339 time such as 2026-11-01T00:00:00Z"));
            return null;
        }
        Optional<Instant> at = Times.parse(value);
        if (at.isEmpty()) {
            errors.add(new Problem.FieldError(field, Times.MESSAGE));
        }
        return at.orElse(null);
    }
}
