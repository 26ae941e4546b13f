package io.meridian.web;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API-wide OpenAPI definitions: the bearer-token scheme, the shared 401 / 403 answers and the tags.
 * Title, version, contact and servers come from {@code quarkus.smallrye-openapi.*} settings.
 */
@OpenAPIDefinition(
        info = @Info(title = "Meridian routing API", version = "1.0.0"),
        tags = {
                @Tag(name = "Routing plans", description = "Where each participant of a meeting connects, and why."),
                @Tag(name = "Catalogue", description = "Regions and data centers of the loaded model."),
                @Tag(name = "Account region policy", description = "Which regions an account's meetings may use."),
                @Tag(name = "Live capacity", description = "Data-center status and load reports from operations."),
                @Tag(name = "Reservations", description = "Capacity held for reserving plans under a lease."),
                @Tag(name = "Live meetings", description = "Meetings routed join by join: each joining participant "
                        + "placed given where everyone else is, holding one place until it leaves."),
                @Tag(name = "Transparency", description = "Facts about where traffic went: routing records, "
                        + "traffic reports and meeting routing history."),
                @Tag(name = "Transparency log", description = "The signed, append-only Merkle log of every routing "
                        + "fact: tree heads, inclusion and consistency proofs, signing keys (docs/transparency.md)."),
                @Tag(name = "Simulations", description = "What-if analysis of capacity and policy changes, without "
                        + "touching live state.")},
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = Security.BEARER, type = SecuritySchemeType.HTTP,
                        scheme = "bearer", bearerFormat = "JWT",
                        description = "A JWT whose groups claim holds the caller's roles: meeting-client, "
                                + "region-admin (with an accounts claim) or ops."),
                responses = {
                        @APIResponse(name = "Unauthorized", responseCode = "401",
                                description = "No bearer token, or one that is malformed, badly signed, from "
                                        + "another issuer, expired or not yet valid.",
                                content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "unauthorized", value = Examples.PROBLEM_UNAUTHORIZED))),
                        @APIResponse(name = "Forbidden", responseCode = "403",
                                description = "The token is valid but its roles or accounts do not allow this request.",
                                content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "forbidden", value = Examples.PROBLEM_FORBIDDEN)))}))
public class Security extends Application {

    /** Name of the bearer-token security scheme. */
    public static final String BEARER = "bearer";
    public static final String UNAUTHORIZED = "#/components/responses/Unauthorized";
    public static final String FORBIDDEN = "#/components/responses/Forbidden";
}
