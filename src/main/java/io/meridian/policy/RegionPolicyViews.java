package io.meridian.policy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Request and response shapes of the region-policy endpoints. */
public final class RegionPolicyViews {

    private RegionPolicyViews() {
    }

    @Schema(name = "RegionPolicyInput", description = "The regions an account's meetings may use.")
    public record Input(
            @Schema(description = "Regions no media of the account's meetings may touch.", examples = "[\"CN\"]",
                    maxItems = 64)
            @Size(max = 64) List<@NotBlank @Size(max = 16) String> blockedRegions,
            @Schema(description = "When given, the only regions media may touch; null for no allow-list.",
                    examples = "[\"EU\", \"US\"]", maxItems = 64, nullable = true)
            @Size(max = 64) List<@NotBlank @Size(max = 16) String> allowedRegions,
            @Schema(description = "The account's home region: never blocked, always allowed.", examples = "EU",
                    nullable = true, maxLength = 16)
            @Size(max = 16) String homeRegion) {
    }

    @Schema(name = "RegionPolicy", description = "An account's stored region policy.")
    public record Policy(
            @Schema(examples = "acme", required = true) String accountId,
            @Schema(examples = "[\"CN\"]", required = true) List<String> blockedRegions,
            @Schema(examples = "[\"EU\", \"US\"]", nullable = true) List<String> allowedRegions,
            @Schema(examples = "EU", nullable = true) String homeRegion,
            @Schema(description = "Increases with every change; the ETag is this number in quotes.", examples = "3",
                    required = true) long version,
            @Schema(required = true) Instant updatedAt,
            @Schema(description = "The token subject that made the last change.", examples = "alice@acme.example",
                    required = true) String updatedBy) {
    }

    @Schema(name = "RegionPolicyChange", description = "One change of an account's region policy.")
    public record Change(
            @Schema(examples = "3", required = true) long version,
            @Schema(required = true) Instant changedAt,
            @Schema(examples = "alice@acme.example", required = true) String changedBy,
            @Schema(description = "The policy after the change; for DELETE, the policy that was removed.",
                    examples = "[\"CN\"]", required = true) List<String> blockedRegions,
            @Schema(nullable = true) List<String> allowedRegions,
            @Schema(nullable = true) String homeRegion,
            @Schema(required = true, enumeration = {"CREATE", "UPDATE", "DELETE"}) String action) {
    }
}
