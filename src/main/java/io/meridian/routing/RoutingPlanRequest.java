package io.meridian.routing;

import io.meridian.core.Strategy;
import io.meridian.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/routing-plans}. */
@Schema(name = "RoutingPlanRequest", description = "A meeting to route: its participants and the regions it may use.")
public record RoutingPlanRequest(
        @Schema(description = "Client's id of the meeting, echoed in the plan.", examples = "weekly-sync-42",
                maxLength = 128, pattern = Ids.PATTERN)
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String meetingId,

        @Schema(description = "Account whose region policy applies; a request can only narrow it.",
                examples = "acme", maxLength = 128, pattern = Ids.PATTERN)
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String accountId,

        @Schema(description = "The participants, 1 to meridian.routing.max-participants (default 50000); ids unique.",
                required = true, minItems = 1)
        @NotNull @Size(min = 1, message = "must list at least one participant")
        List<@NotNull @Valid Participant> participants,

        @Schema(description = "Regions no media of this meeting may touch (codes of the model, any case).",
                examples = "[\"CN\"]", maxItems = 64)
        @Size(max = 64) List<@NotBlank @Size(max = 16) String> blockedRegions,

        @Schema(description = "When given, the only regions media may touch. Omitted or null: every region.",
                maxItems = 64, nullable = true)
        @Size(max = 64) List<@NotBlank @Size(max = 16) String> allowedRegions,

        @Schema(description = "SINGLE: one data center; CASCADE: each participant on its best data center, "
                + "data centers linked; AUTO (default): cascade only when it lowers the worst "
                + "participant-to-participant latency by at least meridian.routing.cascade-min-gain-ms.",
                defaultValue = "AUTO")
        Strategy strategy,

        @Schema(description = "Hold the plan's participants against data-center headroom under a lease.",
                defaultValue = "false")
        Boolean reserve) {

    /** One participant. */
    @Schema(name = "Participant", description = "A participant and where it is.")
    public record Participant(
            @Schema(description = "Unique within the meeting.", examples = "alice", required = true, maxLength = 128)
            @NotBlank @Size(max = 128) String id,

            @Schema(required = true)
            @NotNull @Valid Location location,

            @Schema(description = "Client-measured RTTs in ms by data-center id; a measured value replaces the estimate.",
                    examples = "{\"sg-sin\": 4.0}")
            @Size(max = 256) Map<@NotBlank @Size(max = 63) String,
                    @NotNull @DecimalMin("0") @DecimalMax("60000") Double> measuredRttMs) {
    }

    /** Where a participant is: a country, coordinates, or both (coordinates win). */
    @Schema(name = "Location", description = "ISO 3166-1 alpha-2 country, or latitude and longitude, or both "
            + "(coordinates win).")
    public record Location(
            @Schema(description = "ISO 3166-1 alpha-2 country code, any case.", examples = "DE", minLength = 2,
                    maxLength = 2)
            @Size(min = 2, max = 2) String country,

            @Schema(description = "Degrees north, -90 to 90; give with longitude.", examples = "37.77",
                    minimum = "-90", maximum = "90")
            @DecimalMin("-90") @DecimalMax("90") Double latitude,

            @Schema(description = "Degrees east, -180 to 180; give with latitude.", examples = "-122.42",
                    minimum = "-180", maximum = "180")
            @DecimalMin("-180") @DecimalMax("180") Double longitude) {
    }
}
