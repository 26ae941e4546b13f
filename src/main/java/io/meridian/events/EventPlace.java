package io.meridian.events;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Objects;

/** Where a participant's media is: a data center and its region. */
@Schema(name = "EventPlace", description = "A data center and its region.")
public record EventPlace(
        @Schema(examples = "eu-fra", required = true) String dataCenter,
        @Schema(examples = "EU", required = true) String region) {

    public EventPlace {
        Objects.requireNonNull(dataCenter, "dataCenter");
        Objects.requireNonNull(region, "region");
    }
}
