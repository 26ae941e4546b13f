package io.meridian.integration.jicofo;

import io.meridian.core.BridgeSelection;
import io.meridian.core.DataCenterModel;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jitsi region names to data centers of the model, built once at start: the configured names of
 * {@code meridian.jicofo.regions}, then every data-center id as its own name. Names compare ignoring
 * case. A lookup of a name as Jitsi sends it costs one hash lookup (two when its case differs).
 */
@Singleton
public class JicofoRegions {

    private final Map<String, Integer> byName;
    private final DataCenterModel model;

    @Inject
    public JicofoRegions(JicofoConfig config, DataCenterModel model) {
        this(config.regions(), model);
    }

    JicofoRegions(Map<String, String> configured, DataCenterModel model) {
        this.model = model;
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < model.size(); i++) {
            names.put(model.dataCenter(i).id().toLowerCase(Locale.ROOT), i);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(configured).entrySet()) {
            int dc = model.indexOf(e.getValue().strip());
            if (dc < 0) {
                problems.add("meridian.jicofo.regions." + e.getKey() + "=" + e.getValue()
                        + ": the model has no data center with this id");
            } else {
                names.put(e.getKey().strip().toLowerCase(Locale.ROOT), dc);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Jicofo region mapping:\n  - " + String.join("\n  - ", problems));
        }
        this.byName = Map.copyOf(names);
    }

    /** The data center a Jitsi region name maps to, or {@link BridgeSelection#NO_DATA_CENTER}. */
    public int dataCenter(String jitsiRegion) {
        if (jitsiRegion == null) {
            return BridgeSelection.NO_DATA_CENTER;
        }
        Integer dc = byName.get(jitsiRegion);
        if (dc == null) {
            dc = byName.get(jitsiRegion.strip().toLowerCase(Locale.ROOT));
        }
        return dc == null ? BridgeSelection.NO_DATA_CENTER : dc;
    }

    /** Every mapped name and its data-center id, sorted by name (for the documentation and tests). */
    public Map<String, String> mapping() {
        Map<String, String> out = new TreeMap<>();
        byName.forEach((name, dc) -> out.put(name, model.dataCenter(dc).id()));
        return out;
    }
}
