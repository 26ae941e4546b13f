package io.meridian.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Objects;

/**
 * Why participants were moved or disconnected: an account's region policy changed (to its new
 * {@code version}), or a data center's status changed. Build one with {@link #policyChange} or
 * {@link #dcStatus}; its JSON is {@code {"type": "POLICY_CHANGE", "accountId", "version"}} or
 * {@code {"type": "DC_STATUS", "dataCenter", "status"}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "EventCause", description = "The change that moved or disconnected a participant.")
public record EventCause(
        @Schema(enumeration = {"POLICY_CHANGE", "DC_STATUS"}, required = true) String type,
        @Schema(description = "With POLICY_CHANGE: the account whose policy changed.", examples = "acme")
        String accountId,
        @Schema(description = "With POLICY_CHANGE: the policy's new version (after a DELETE, the version the delete "
                + "made).", examples = "4") Long version,
        @Schema(description = "With DC_STATUS: the data center whose status changed.", examples = "eu-fra")
        String dataCenter,
        @Schema(description = "With DC_STATUS: its new status.", examples = "DOWN") String status) {

    public static final String POLICY_CHANGE = "POLICY_CHANGE";
    public static final String DC_STATUS = "DC_STATUS";

    /** An account's region policy changed; {@code version} is its new version. */
    public static EventCause policyChange(String accountId, long version) {
        return new EventCause(POLICY_CHANGE, Objects.requireNonNull(accountId, "accountId"), version, null, null);
    }

    /** A data center's status changed to {@code status} (e.g. {@code DOWN}). */
    public static EventCause dcStatus(String dataCenter, String status) {
        return new EventCause(DC_STATUS, null, null, Objects.requireNonNull(dataCenter, "dataCenter"),
                Objects.requireNonNull(status, "status"));
    }
}
