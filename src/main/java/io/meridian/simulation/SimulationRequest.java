package io.meridian.simulation;

import io.meridian.core.Strategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/simulations}. */
@Schema(name = "SimulationRequest", description = "A what-if question: a change to the live model (scenario) and "
        + "a synthetic workload to run on both the live model and the changed one.")
public record SimulationRequest(
        @Schema(description = "What changes on the scenario side. Omitted or null: nothing (both sides equal).",
                nullable = true)
        @Valid ScenarioInput scenario,

        @Schema(required = true)
        @NotNull @Valid WorkloadInput workload,

        @Schema(description = "How every simulated meeting is routed, on both sides: SINGLE, CASCADE or AUTO "
                + "(default), as in routing plans.", defaultValue = "AUTO")
        Strategy strategy) {

    /** The change to simulate. */
    @Schema(name = "SimulationScenario", description = "Changes applied to a copy of the live model for the "
            + "scenario side; the live model itself is never changed.")
    public record ScenarioInput(
            @Schema(description = "Data centers taken out of service (DOWN): they take no simulated participants. "
                    + "Ids of the model. Their live load is not re-placed elsewhere (it stays shown on them).", examples = "[\"eu-fra\"]", maxItems = 1000)
            @Size(max = 1000) List<@NotNull String> dataCentersDown,

            @Schema(description = "Regions no simulated meeting may touch (codes of the model, any case).",
                    examples = "[\"CN\"]", maxItems = 64)
            @Size(max = 64) List<@NotNull String> regionsBlocked,

            @Schema(description = "Capacity multipliers by data-center id, each greater than 0 and at most 10; the "
                    + "scenario capacity is max(1, round(capacity * factor)).",
                    examples = "{\"us-sjc\": 0.5}", maxProperties = 1000)
            @Size(max = 1000) Map<String, @NotNull Double> capacityFactor) {
    }

    /** The synthetic workload. */
    @Schema(name = "SimulationWorkload", description = "Meetings drawn from a seed: the same seed draws the same "
            + "meetings. Both sides run the same meetings in the same order.")
    public record WorkloadInput(
            @Schema(description = "How many meetings; at most meridian.simulation.max-meetings (default 10000), and "
                    + "meetings * participantsPerMeeting.max at most meridian.simulation.max-participants "
                    + "(default 200000).", required = true, examples = "2000", minimum = "1")
            @NotNull @Min(1) Integer meetings,

            @Schema(required = true)
            @NotNull @Valid MeetingSize participantsPerMeeting,

            @Schema(description = "Relative weight of each participant country (ISO 3166-1 alpha-2, any case); "
                    + "finite numbers greater than 0, they need not sum to 1. A participant is placed at its "
                    + "country's representative point.", required = true, minProperties = 1, maxProperties = 300,
                    examples = "{\"US\": 0.4, \"DE\": 0.2, \"IN\": 0.2, \"BR\": 0.1, \"JP\": 0.1}")
            @NotNull @Size(min = 1, max = 300) Map<String, @NotNull Double> countries,

            @Schema(description = "Seed of the random draw (java.util.SplittableRandom); default 0.",
                    examples = "42", defaultValue = "0")
            Long seed) {
    }

    /** Meeting sizes, drawn uniformly between min and max (both included). */
    @Schema(name = "SimulationMeetingSize", description = "Participants per meeting, drawn uniformly from "
            + "[min, max]. max is at most meridian.routing.max-participants (default 50000).")
    public record MeetingSize(
            @Schema(required = true, examples = "2", minimum = "1")
            @NotNull @Min(1) Integer min,

            @Schema(required = true, examples = "40", minimum = "1")
            @NotNull @Min(1) Integer max) {
    }
}
