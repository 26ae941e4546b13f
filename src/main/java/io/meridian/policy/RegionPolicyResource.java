package io.meridian.policy;

import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.RequestValidation;
import io.meridian.web.Security;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Optional;

/** {@code /api/v1/accounts/{accountId}/region-policy}: an account's region policy and its history. */
@Path("/api/v1/accounts/{accountId}/region-policy")
@Tag(name = "Account region policy")
@RolesAllowed(Roles.REGION_ADMIN)
@SecurityRequirement(name = Security.BEARER)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid account id or policy.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
public class RegionPolicyResource {

    /** Live meetings of the account that use a region the change forbids, at the change. */
    public static final String LIVE_MEETINGS_AFFECTED = "Meridian-Live-Meetings-Affected";

    private final RegionPolicyService service;
    private final AccountScope scope;
    private final RequestValidation validation;

    @Inject
    public RegionPolicyResource(RegionPolicyService service, AccountScope scope, RequestValidation validation) {
        this.service = service;
        this.scope = scope;
        this.validation = validation;
    }

    @GET
    @Operation(operationId = "getRegionPolicy", summary = "Get an account's region policy",
            description = "The stored policy with its ETag. Only for region admins of the account.")
    @APIResponse(responseCode = "200", description = "The policy.",
            headers = @Header(name = "ETag", description = "Version of the policy, for If-Match.",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RegionPolicyViews.Policy.class)))
    @APIResponse(responseCode = "404", description = "The account has no policy.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response get(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId) {
        authorize(accountId);
        RegionPolicyViews.Policy policy = service.find(accountId).orElseThrow(RegionPolicyResource::notFound);
        return Response.ok(policy).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(policy.version()))).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putRegionPolicy", summary = "Create or replace an account's region policy",
            description = "Creating needs no If-Match; replacing needs If-Match with the current ETag (428 without, "
                    + "412 when stale). Of two admins racing with the same ETag exactly one wins. Every change is "
                    + "recorded in the history with the caller's identity.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RegionPolicyViews.Input.class)))
    @APIResponse(responseCode = "200", description = "The stored policy.",
            headers = {@Header(name = "ETag", description = "Version of the stored policy.",
                    schema = @Schema(type = SchemaType.STRING)),
                @Header(name = LIVE_MEETINGS_AFFECTED, description = "Live meetings of the account using a region "
                        + "the change forbids; their participants there are being moved.",
                        schema = @Schema(type = SchemaType.INTEGER))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RegionPolicyViews.Policy.class)))
    @APIResponse(responseCode = "412", description = "The ETag is stale or another change won.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "A policy exists and If-Match is missing.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response put(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId,
                        @Parameter(description = "ETag of the policy being replaced.") @HeaderParam(HttpHeaders.IF_MATCH)
                        String ifMatch,
                        RegionPolicyViews.Input input) {
        authorize(accountId);
        validation.require(input);
        RegionPolicyService.Stored stored = service.put(accountId, input, Optional.ofNullable(ifMatch), scope.caller());
        RegionPolicyViews.Policy policy = stored.policy();
        return Response.ok(policy).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(policy.version())))
                .header(LIVE_MEETINGS_AFFECTED, stored.liveMeetingsAffected()).build();
    }

    @DELETE
    @Operation(operationId = "deleteRegionPolicy", summary = "Delete an account's region policy",
            description = "Needs If-Match with the current ETag. The deletion is recorded in the history.")
    @APIResponse(responseCode = "204", description = "Deleted.",
            headers = @Header(name = LIVE_MEETINGS_AFFECTED, description = "Always 0: a deletion forbids nothing.",
                    schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "404", description = "The account has no policy.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "The ETag is stale.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response delete(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId,
                           @Parameter(description = "ETag of the policy being deleted.") @HeaderParam(HttpHeaders.IF_MATCH)
                           String ifMatch) {
        authorize(accountId);
        int affected = service.delete(accountId, Optional.ofNullable(ifMatch), scope.caller())
                .orElseThrow(RegionPolicyResource::notFound);
        return Response.noContent().header(LIVE_MEETINGS_AFFECTED, affected).build();
    }

    @GET
    @Path("/history")
    @Operation(operationId = "getRegionPolicyHistory", summary = "List every change of an account's region policy",
            description = "Newest first, with who changed what and when.")
    @APIResponse(responseCode = "200", description = "The changes; empty when the account never had a policy.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = RegionPolicyViews.Change.class)))
    public List<RegionPolicyViews.Change> history(
            @Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId) {
        authorize(accountId);
        return service.history(accountId);
    }

    private void authorize(String accountId) {
        io.meridian.web.Ids.require("accountId", accountId);
        scope.requireAccount(accountId);
    }

    private static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "This account has no region policy.");
    }
}
