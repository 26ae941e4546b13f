package io.meridian.catalog;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Where the data-center model comes from. */
@ConfigMapping(prefix = "meridian.model")
public interface ModelConfig {

    /**
     * Path of a data-center model file (YAML or JSON, the bundled model's format). Unset: the model
     * bundled with the service.
     */
    Optional<String> location();
}
