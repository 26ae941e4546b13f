package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.security.Roles;
import io.meridian.web.Examples;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.Security;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue: regions and data centers of the loaded model with their live capacity. Every answer
 * comes from memory (the model, the capacity snapshot), so it is given on the HTTP event loop
 * without a hand-off to a worker thread.
 */
@NonBlocking
@Path("/api/v1")
@Tag(name = "Catalogue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.MEETING_CLIENT, Roles.REGION_ADMIN, Roles.OPS})
@SecurityRequirement(name = Security.BEARER)
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
public class CatalogResource {

    private final DataCenterModel model;
    private final LiveCapacityView capacity;
    private final List<CatalogViews.RegionView> regions;

    @Inject
    public CatalogResource(DataCenterModel model, LiveCapacityView capacity) {
        this.model = model;
        this.capacity = capacity;
        this.regions = model.regions().stream()
                .map(r -> CatalogViews.RegionView.of(r, List.copyOf(model.dataCenterIds(r.code())))).toList();
    }

    @GET
    @Path("/regions")
    @Operation(operationId = "listRegions", summary = "List regions",
            description = "Every region of the loaded model with its data centers, sorted by code. These are the "
                    + "codes accepted in blockedRegions and allowedRegions.")
    @APIResponse(responseCode = "200", description = "The regions.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CatalogViews.RegionView.class),
                    examples = @ExampleObject(name = "regions", value = Examples.REGIONS)))
    public List<CatalogViews.RegionView> regions() {
        return regions;
    }

    @GET
    @Path("/data-centers")
    @Operation(operationId = "listDataCenters", summary = "List data centers",
            description = "Every data center of the loaded model, sorted by id, with status, load, reservations "
                    + "and headroom from the current capacity snapshot.")
    @APIResponse(responseCode = "200", description = "The data centers.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CatalogViews.DataCenterView.class),
                    examples = @ExampleObject(name = "data-centers", value = Examples.DATA_CENTERS)))
    public List<CatalogViews.DataCenterView> dataCenters() {
        LiveCapacityView.Live live = capacity.live();
        List<CatalogViews.DataCenterView> views = new ArrayList<>(model.size());
        for (int i = 0; i < model.size(); i++) {
            views.add(CatalogViews.DataCenterView.of(live, i));
        }
        return views;
    }

    @GET
    @Path("/data-centers/{id}")
    @Operation(operationId = "getDataCenter", summary = "Get one data center",
            description = "One data center with its current capacity figures.")
    @APIResponse(responseCode = "200", description = "The data center.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CatalogViews.DataCenterView.class),
                    examples = @ExampleObject(name = "data-center", value = Examples.DATA_CENTER)))
    @APIResponse(responseCode = "404", description = "The model has no data center with this id.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "not-found", value = Examples.PROBLEM_NOT_FOUND)))
    public CatalogViews.DataCenterView dataCenter(
            @Parameter(description = "Data-center id.", example = "eu-fra") @PathParam("id") String id) {
        int index = model.indexOf(id);
        if (index < 0) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "There is no data center with this id.");
        }
        return CatalogViews.DataCenterView.of(capacity.live(), index);
    }
}
