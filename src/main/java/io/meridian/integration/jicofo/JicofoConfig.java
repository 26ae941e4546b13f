package io.meridian.integration.jicofo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** The Jicofo bridge-selection endpoint: how Jitsi's names map onto the model, and its tuning. */
@ConfigMapping(prefix = "meridian.jicofo")
public interface JicofoConfig {

    /**
     * Jitsi region names (a bridge's {@code videobridge.relay.region}, Jicofo's participant region)
     * mapped to data-center ids of the model: {@code meridian.jicofo.regions.us-east-1=us-iad}.
     * A name that is not listed maps to the data center of that id, if there is one
     * ({@code eu-fra} to {@code eu-fra}); names are compared ignoring case. A bridge whose region
     * maps to no data center is never selected while the account has any policy. An id that is not
     * in the model stops the service at start.
     */
    Map<String, String> regions();

    /**
     * Bridges whose stress (as Jicofo reports it) is at or above this are never selected, like
     * Jicofo's own {@code jicofo.bridge.stress-threshold}.
     */
    @WithDefault("0.8")
    double stressThreshold();

    /**
     * Keep each account's region policy in memory for selections, checked for changes every
     * {@link #policyRefreshInterval()}; with false, every selection reads it from the database
     * (exact, but a database round trip per selection and not on the event loop).
     */
    @WithDefault("true")
    boolean policyCache();

    /**
     * How often each replica checks whether any region policy changed (one small query); a change
     * applies to selections on every replica within this interval.
     */
    @WithDefault("1s")
    Duration policyRefreshInterval();
}
