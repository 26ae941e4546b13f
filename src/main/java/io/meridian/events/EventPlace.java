package io.meridian.events;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Objects;

/**
 * Where a participant's media is: a data center and its region. The region is null only for a data
 * center the model no longer has (people are moved off it at start; its region is not known then).
 */
@Schema(name = "EventPlace", description = "A data center and its region (null only for a data center the "
        + "model no longer has).")
public record EventPlace(
        @Schema(examples = "eu-fra", required = true) String dataCenter,
        @Schema(examples = "EU", nullable = true) String region) {

    public EventPlace {
        Objects.requireNonNull(dataCenter, "dataCenter");
    }
}
