package io.meridian.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the generated OpenAPI document say what the service really does, in one place instead of
 * on every endpoint (registered as {@code mp.openapi.filter}):
 * <ul>
 *   <li>every operation documents 400 (a malformed URI or header), 401, 403 and 406 (an Accept the
 *       service cannot meet); every operation with a body also 408 (body timeout), 413 (body over
 *       the limit: {@code too-many-participants} on plans, {@code payload-too-large} elsewhere) and
 *       415 (no or another Content-Type); operations that read the database 503;</li>
 *   <li>request schemas are as strict as the reader: {@code additionalProperties: false} (unknown
 *       fields are refused) unless the schema says otherwise itself, and every optional field also takes {@code null} (the reader takes a
 *       null as "not given"), which the generator left out where a field has a {@code $ref};</li>
 *   <li>times are documented with their window.</li>
 * </ul>
 * {@code OpenApiAnswersTest} checks real answers against the result.
 */
public class OpenApiContract implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final String PLANS = "/api/v1/routing-plans";
    /** Operations that answer from memory only; every other one reads or writes the database. */
    private static final Set<String> MEMORY_ONLY = Set.of("listRegions", "listDataCenters", "getDataCenter",
            "runSimulation");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Set<String> requestSchemas = new HashSet<>();
        if (api.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : api.getPaths().getPathItems().entrySet()) {
                for (Operation operation : path.getValue().getOperations().values()) {
                    responses(path.getKey(), operation);
                    if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                        for (MediaType media : operation.getRequestBody().getContent().getMediaTypes().values()) {
                            collectRefs(media.getSchema(), requestSchemas);
                        }
                    }
                }
            }
        }
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Deque<String> todo = new ArrayDeque<>(requestSchemas);
        Set<String> strict = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            Schema schema = schemas.get(name);
            if (schema == null || !strict.add(name)) {
                continue;
            }
            Set<String> nested = new HashSet<>();
            collectRefs(schema, nested);
            todo.addAll(nested);
            if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
                // a schema that says what it does with unknown fields keeps it (the Jicofo request
                // ignores them: its client may add some); every other one refuses them
                if (schema.getAdditionalPropertiesBoolean() == null && schema.getAdditionalPropertiesSchema() == null) {
                    schema.setAdditionalPropertiesBoolean(Boolean.FALSE);
                }
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                for (Map.Entry<String, Schema> property : new ArrayList<>(schema.getProperties().entrySet())) {
                    if (!required.contains(property.getKey())) {
                        schema.addProperty(property.getKey(), nullable(property.getValue()));
                    }
                }
            }
        }
        Schema instant = schemas.get("Instant");
        if (instant != null) {
            instant.setDescription("An RFC 3339 time (seconds required, offset Z or +hh:mm) from 2000-01-01T00:00:00Z "
                    + "up to (not including) 2100-01-01T00:00:00Z; in answers always UTC.");
        }
    }

    /** The property also taking null: {@code [type, "null"]}, or {@code anyOf: [$ref, null]}. */
    private static Schema nullable(Schema property) {
        Schema nullType = OASFactory.createSchema().addType(Schema.SchemaType.NULL);
        if (property.getRef() != null) {
            Schema wrapped = OASFactory.createSchema().description(property.getDescription())
                    .defaultValue(property.getDefaultValue());
            wrapped.addAnyOf(OASFactory.createSchema().ref(property.getRef()));
            wrapped.addAnyOf(nullType);
            return wrapped;
        }
        if (property.getAnyOf() != null) {
            // the generator wrote anyOf: [$ref, null] and a type beside it, which excluded the null
            property.setType(null);
            if (property.getAnyOf().stream().noneMatch(s -> s.getType() != null
                    && s.getType().contains(Schema.SchemaType.NULL))) {
                property.addAnyOf(nullType);
            }
            return property;
        }
        if (property.getType() != null && !property.getType().contains(Schema.SchemaType.NULL)) {
            property.addType(Schema.SchemaType.NULL);
            if (property.getEnumeration() != null) {
                property.addEnumeration(null);
            }
        }
        return property;
    }

    private static void collectRefs(Schema schema, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.getRef() != null && schema.getRef().startsWith("#/components/schemas/")) {
            names.add(schema.getRef().substring("#/components/schemas/".length()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> collectRefs(p, names));
        }
        collectRefs(schema.getItems(), names);
        collectRefs(schema.getAdditionalPropertiesSchema(), names);
        if (schema.getAnyOf() != null) {
            schema.getAnyOf().forEach(s -> collectRefs(s, names));
        }
        if (schema.getOneOf() != null) {
            schema.getOneOf().forEach(s -> collectRefs(s, names));
        }
        if (schema.getAllOf() != null) {
            schema.getAllOf().forEach(s -> collectRefs(s, names));
        }
    }

    private static void responses(String path, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        add(responses, "400", "Invalid request: a malformed request URI (not ASCII, a percent-escape that is no "
                + "UTF-8 text, a control character), header or parameter, or an invalid body.");
        add(responses, "406", "The Accept header admits no media type this operation answers with.");
        boolean body = operation.getRequestBody() != null;
        if (body) {
            add(responses, "408", "The body did not arrive in full within meridian.http.body-timeout; the "
                    + "connection is closed.");
            add(responses, "413", path.equals(PLANS)
                    ? "More participants than meridian.routing.max-participants, or a body over "
                    + "quarkus.http.limits.max-body-size (too-many-participants)."
                    : "The body is larger than quarkus.http.limits.max-body-size (payload-too-large).");
            add(responses, "415", "The body is sent without a Content-Type, as another media type than "
                    + "application/json, or with a charset other than UTF-8.");
        }
        if (!MEMORY_ONLY.contains(operation.getOperationId())) {
            add(responses, "503", "temporarily-unavailable: the database is busy or unreachable for the moment; "
                    + "retry after Retry-After.");
        }
    }

    private static void add(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(problemContent());
        responses.addAPIResponse(status, response);
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(ProblemMapper.PROBLEM_JSON,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)));
    }
}
