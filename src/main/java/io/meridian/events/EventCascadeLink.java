package io.meridian.events;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One backbone link of a meeting's cascade, as the meeting view shows it. */
@Schema(name = "EventCascadeLink", description = "A backbone link between two data centers of the meeting.")
public record EventCascadeLink(
        @Schema(examples = "eu-fra", required = true) String from,
        @Schema(examples = "us-sjc", required = true) String to,
        @Schema(description = "Estimated RTT of the link in ms.", examples = "148.0", required = true)
        double estimatedRttMs) {
}
