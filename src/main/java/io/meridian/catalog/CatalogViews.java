package io.meridian.catalog;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterState;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.Region;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Response shapes of the catalogue endpoints. */
public final class CatalogViews {

    private CatalogViews() {
    }

    @Schema(name = "Region", description = "A region and its data centers.")
    public record RegionView(
            @Schema(description = "Region code.", examples = "EU", required = true) String code,
            @Schema(description = "Display name.", examples = "Europe", required = true) String name,
            @Schema(description = "Ids of its data centers, sorted.", examples = "[\"eu-ams\", \"eu-dub\", \"eu-fra\"]",
                    required = true)
            List<String> dataCenters) {

        static RegionView of(Region region, List<String> dataCenters) {
            return new RegionView(region.code(), region.name(), dataCenters);
        }
    }

    @Schema(name = "DataCenter", description = "A data center with its live capacity figures.")
    public record DataCenterView(
            @Schema(examples = "eu-fra", required = true) String id,
            @Schema(examples = "Frankfurt", required = true) String city,
            @Schema(examples = "EU", required = true) String region,
            @Schema(examples = "50.1109", required = true) double latitude,
            @Schema(examples = "8.6821", required = true) double longitude,
            @Schema(description = "Concurrent participants at 100% utilization.", examples = "35000", required = true)
            int capacity,
            @Schema(required = true) DataCenterStatus status,
            @Schema(description = "Active participants in the newest load report.", examples = "0", required = true)
            int reportedLoad,
            @Schema(description = "Participants held by live reservations.", examples = "0", required = true)
            int reserved,
            @Schema(description = "Participants of live meetings on this data center (each holds one place).",
                    examples = "0", required = true)
            int live,
            @Schema(description = "How many of the live participants the newest load report already counted "
                    + "(present at its reportedAt): they are counted once.", examples = "0", required = true)
            int liveAtReport,
            @Schema(description = "floor(capacity * maxUtilization) - reserved - live - max(0, reportedLoad - "
                    + "liveAtReport), at least 0 (without live participants: floor(capacity * maxUtilization) - "
                    + "reportedLoad - reserved).", examples = "29750", required = true)
            int headroom,
            @Schema(description = "Time of the newest load report; null when none was received.", nullable = true)
            Instant lastReportAt,
            @Schema(description = "True when the newest load report is older than meridian.capacity.report-ttl "
                    + "(or none came while a TTL is set): the site takes no new participants.")
            boolean stale,
            @Schema(description = "Why the status was last set.", nullable = true, examples = "maintenance window")
            String statusReason,
            @Schema(description = "When the status was last set.", nullable = true)
            Instant statusChangedAt,
            @Schema(description = "Who last set the status (token subject).", nullable = true)
            String statusChangedBy) {

        static DataCenterView of(LiveCapacityView.Live live, int index) {
            CapacitySnapshot snapshot = live.snapshot();
            DataCenter dc = snapshot.model().dataCenter(index);
            DataCenterState state = snapshot.state(index);
            CapacityStore.Row row = live.rows().get(dc.id());
            return new DataCenterView(dc.id(), dc.city(), dc.region(), dc.location().latitude(),
                    dc.location().longitude(), dc.capacity(), state.status(), state.reportedLoad(), state.reserved(),
                    state.live(), state.liveAtReport(), snapshot.headroom(index), state.lastReportAt().orElse(null), state.stale(),
                    row == null ? null : row.statusReason(), row == null ? null : row.statusChangedAt(),
                    row == null ? null : row.statusChangedBy());
        }
    }
}
