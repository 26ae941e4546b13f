package io.meridian.integration.jicofo;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The request body's shape for the OpenAPI document only: {@link SelectionRequest} reads the body
 * itself, in one streaming pass. Field names are those of Jicofo's client.
 */
@Schema(name = "JicofoSelectionRequest", additionalProperties = Schema.True.class, description = "What Jicofo's ExternalBridgeSelectionStrategy sends. "
        + "Fields not listed here are ignored.")
record SelectionRequestSchema(
        @Schema(required = true, minItems = 1, maxItems = SelectionRequest.MAX_BRIDGES,
                description = "The bridges Jicofo may use, in its order; the answer is an index into this list.")
        List<Bridge> bridges,
        @JsonProperty("conference_bridges")
        @Schema(nullable = true, description = "Bridges the conference already uses (jid to its participants there); "
                + "every jid must be one of bridges. Empty or null for a conference's first participant.")
        Map<String, Integer> conferenceBridges,
        @JsonProperty("participant_region")
        @Schema(nullable = true, description = "The participant's Jitsi region; one that maps to no data center "
                + "(meridian.jicofo.regions) means no known location.")
        String participantRegion,
        @JsonProperty("fallback_strategy")
        @Schema(nullable = true, description = "Jicofo's configured fallback strategy; not used.")
        String fallbackStrategy) {

    @Schema(name = "JicofoBridge", additionalProperties = Schema.True.class)
    record Bridge(
            @Schema(required = true, examples = "jvbbrewery@internal.auth.meet.example/jvb-fra-1") String jid,
            @Schema(nullable = true) String version,
            Boolean colibri2,
            @JsonProperty("relay_id") @Schema(nullable = true) String relayId,
            @Schema(nullable = true, description = "The bridge's videobridge.relay.region.", examples = "eu-fra")
            String region,
            @Schema(required = true, minimum = "0", description = "Jicofo's stress figure, may exceed 1.",
                    examples = "0.12") double stress,
            @Schema(required = true) boolean operational,
            @JsonProperty("graceful_shutdown") @Schema(required = true) boolean gracefulShutdown,
            @Schema(required = true) boolean draining) {
    }
}
