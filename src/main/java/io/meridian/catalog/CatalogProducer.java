package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.LatencyModel;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Makes the data-center model, the latency model and the country table available, loaded once at start. */
@ApplicationScoped
public class CatalogProducer {

    private static final Logger LOG = Logger.getLogger(CatalogProducer.class);

    @Produces
    @Singleton
    LatencyModel latencyModel(LatencyConfig config) {
        try {
            return new LatencyModel(config.fiberKmPerMs(), config.routeStretch(), config.overheadMs());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid meridian.latency.* setting: " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    @Startup
    DataCenterModel dataCenterModel(ModelConfig config, LatencyConfig latencyConfig) {
        LatencyModel latency;
        try {
            latency = new LatencyModel(latencyConfig.fiberKmPerMs(), latencyConfig.backboneRouteStretch(),
                    latencyConfig.backboneOverheadMs());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid meridian.latency.backbone-* setting: " + e.getMessage(), e);
        }
        DataCenterModel model;
        String source;
        if (config.location().isPresent()) {
            Path path = Path.of(config.location().get());
            source = "file " + path.toAbsolutePath();
            try (InputStream in = Files.newInputStream(path)) {
                model = ModelLoader.load(source, in, latency);
            } catch (NoSuchFileException e) {
                throw new ModelException(source, List.of("file not found (meridian.model.location)"));
            } catch (IOException e) {
                throw new ModelException(source, List.of("cannot be read: " + e.getMessage()));
            }
        } else {
            source = "bundled model " + ModelLoader.BUNDLED;
            try (InputStream in = CatalogProducer.class.getClassLoader().getResourceAsStream(ModelLoader.BUNDLED)) {
                if (in == null) {
                    throw new ModelException(source, List.of("missing from the class path"));
                }
                model = ModelLoader.load(source, in, latency);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        LOG.infof("Loaded data-center model from %s: %d regions, %d data centers", source,
                model.regions().size(), model.size());
        return model;
    }

    @Produces
    @Singleton
    @Startup
    CountryDirectory countryDirectory() {
        return CountryDirectory.bundled();
    }
}
