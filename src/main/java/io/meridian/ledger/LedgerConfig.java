package io.meridian.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the ledger counts live participants against load reports. */
@ConfigMapping(prefix = "meridian.ledger")
public interface LedgerConfig {

    /**
     * How long changes of the live counters are kept, so that a load report stamped up to this long
     * ago is combined exactly with the live participants it saw. An older report is taken to have seen
     * none of them (counted twice rather than not at all).
     */
    @WithDefault("PT15M")
    Duration reportWindow();
}
