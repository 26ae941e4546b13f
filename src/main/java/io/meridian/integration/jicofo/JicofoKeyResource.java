package io.meridian.integration.jicofo;

import io.meridian.security.AccountScope;
import io.meridian.security.IntegrationKeys;
import io.meridian.security.Roles;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.Security;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/accounts/{accountId}/integrations/jicofo}: a region admin's Jicofo integration keys
 * for an account. Creating answers the selection URL with the key, this once; listing never shows a
 * key or its hash; revoking stops the key on every replica within
 * {@code meridian.integration-keys.refresh-interval}.
 */
@Path("/api/v1/accounts/{accountId}/integrations/jicofo")
@Tag(name = "Jicofo integration")
@RolesAllowed(Roles.REGION_ADMIN)
@SecurityRequirement(name = Security.BEARER)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid account id.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
public class JicofoKeyResource {

    private final IntegrationKeys keys;
    private final AccountScope scope;
    private final SelectionUrls urls;

    @Inject
    public JicofoKeyResource(IntegrationKeys keys, AccountScope scope, SelectionUrls urls) {
        this.keys = keys;
        this.scope = scope;
        this.urls = urls;
    }

    /** A created key: {@code url} carries it, and is shown this once. */
    @Schema(name = "JicofoKeyCreated")
    public record Created(
            @Schema(examples = "7d0c1c9e-3f0a-4a4e-9a55-2b8f0c6f4b1e", required = true) String id,
            @Schema(description = "The bridge-selection URL with the key, for jicofo.conf's "
                    + "external-selection-strategy.url. Shown only in this answer; the service keeps a hash. "
                    + "Absolute when meridian.public-url is set, else a path on this service.",
                    required = true) String url,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) String createdBy) {
    }

    /** A key as listed: never the key. */
    @Schema(name = "JicofoKey")
    public record Listed(
            @Schema(required = true) String id,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) String createdBy,
            @Schema(description = "Last selection with this key as known to the service (written in batches, so "
                    + "up to meridian.integration-keys.last-used-flush-interval late); null when never used.",
                    nullable = true) Instant lastUsedAt) {
    }

    @POST
    @Operation(operationId = "createJicofoKey", summary = "Create a Jicofo integration key",
            description = "A new key for the account, returned inside the bridge-selection URL. Copy it now: it "
                    + "cannot be shown again. No request body.")
    @APIResponse(responseCode = "201", description = "The key's id and its selection URL.",
            headers = @Header(name = "Location", description = "The key's path (for DELETE).",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Created.class),
                    examples = @ExampleObject(name = "created", value = JicofoExamples.KEY_CREATED)))
    @APIResponse(responseCode = "409", description = "The account has meridian.integration-keys.max-per-account "
            + "keys already.", content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public Response create(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId")
                           String accountId) {
        authorize(accountId);
        IntegrationKeys.Created created = keys.create(BridgeSelectionResource.INTEGRATION, accountId, scope.caller());
        String url = urls.of(created.key());
        return Response.created(URI.create("/api/v1/accounts/" + accountId + "/integrations/jicofo/" + created.id()))
                .entity(new Created(created.id(), url, created.createdAt(), created.createdBy())).build();
    }

    @GET
    @Operation(operationId = "listJicofoKeys", summary = "List an account's Jicofo integration keys",
            description = "Unrevoked keys, oldest first, without the keys.")
    @APIResponse(responseCode = "200", description = "The keys.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
            implementation = Listed.class)))
    public List<Listed> list(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId")
                             String accountId) {
        authorize(accountId);
        return keys.list(BridgeSelectionResource.INTEGRATION, accountId).stream()
                .map(k -> new Listed(k.id(), k.createdAt(), k.createdBy(), k.lastUsedAt().orElse(null))).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "revokeJicofoKey", summary = "Revoke a Jicofo integration key",
            description = "The key stops working at once here and within meridian.integration-keys.refresh-interval "
                    + "on every other replica; its selection URL then answers 404.")
    @APIResponse(responseCode = "204", description = "Revoked.")
    @APIResponse(responseCode = "404", description = "The account has no unrevoked key with this id.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response revoke(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId")
                           String accountId,
                           @Parameter(description = "The key's id.") @PathParam("id") String id) {
        authorize(accountId);
        if (id.length() > 64 || !keys.revoke(BridgeSelectionResource.INTEGRATION, accountId, id, scope.caller())) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "This account has no Jicofo key with this id.");
        }
        return Response.noContent().build();
    }

    private void authorize(String accountId) {
        Ids.require("accountId", accountId);
        scope.requireAccount(accountId);
    }
}
