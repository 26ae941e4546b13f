package io.meridian.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The static part of the world: regions and their data centers. Immutable. Data centers are kept
 * sorted by id and indexed, so every consumer iterates them in the same order (determinism).
 */
public final class DataCenterModel {

    private final List<Region> regions;
    private final Map<String, Region> regionsByCode;
    private final List<DataCenter> dataCenters;
    private final Map<String, Integer> indexById;
    private final double[][] dcRttMs;
    private final double[][] unitVectors;
    private final SiteIndex index;

    /**
     * @param regions      regions with unique codes
     * @param dataCenters  data centers with unique ids, each in one of the regions
     * @param latency      model of the private backbone, used for data-center to data-center links
     */
    public DataCenterModel(List<Region> regions, List<DataCenter> dataCenters, LatencyModel latency) {
        List<Region> sortedRegions = new ArrayList<>(regions);
        sortedRegions.sort(Comparator.comparing(Region::code));
        Map<String, Region> byCode = new LinkedHashMap<>();
        for (Region r : sortedRegions) {
            if (byCode.put(r.code(), r) != null) {
                throw new IllegalArgumentException("duplicate region code " + r.code());
            }
        }
        List<DataCenter> sortedDcs = new ArrayList<>(dataCenters);
        sortedDcs.sort(Comparator.comparing(DataCenter::id));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sortedDcs.size(); i++) {
            DataCenter dc = sortedDcs.get(i);
            if (index.put(dc.id(), i) != null) {
                throw new IllegalArgumentException("duplicate data center id " + dc.id());
            }
            if (!byCode.containsKey(dc.region())) {
                throw new IllegalArgumentException("data center " + dc.id() + " names unknown region " + dc.region());
            }
        }
        this.regions = List.copyOf(sortedRegions);
        this.regionsByCode = Collections.unmodifiableMap(byCode);
        this.dataCenters = List.copyOf(sortedDcs);
        this.indexById = Map.copyOf(index);
        int n = sortedDcs.size();
        this.unitVectors = new double[n][];
        for (int i = 0; i < n; i++) {
            unitVectors[i] = sortedDcs.get(i).location().unitVector();
        }
        this.index = SiteIndex.of(unitVectors);
        this.dcRttMs = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double rtt = latency.rttMs(sortedDcs.get(i).location(), sortedDcs.get(j).location());
                dcRttMs[i][j] = rtt;
                dcRttMs[j][i] = rtt;
            }
        }
    }

    private DataCenterModel(DataCenterModel base, List<DataCenter> dataCenters) {
        this.regions = base.regions;
        this.regionsByCode = base.regionsByCode;
        this.dataCenters = List.copyOf(dataCenters);
        this.indexById = base.indexById;
        this.unitVectors = base.unitVectors;
        this.index = base.index;
        this.dcRttMs = base.dcRttMs;
    }

    /**
     * The same model with other capacities (what-if analysis): sites, locations and link latencies
     * are unchanged; data centers not named keep their capacity.
     *
     * @throws IllegalArgumentException for an unknown id or a capacity that is not positive
     */
    public DataCenterModel withCapacities(Map<String, Integer> capacities) {
        List<DataCenter> changed = new ArrayList<>(dataCenters);
        for (Map.Entry<String, Integer> e : capacities.entrySet()) {
            int i = indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("unknown data center " + e.getKey());
            }
            DataCenter dc = changed.get(i);
            changed.set(i, new DataCenter(dc.id(), dc.city(), dc.region(), dc.location(), e.getValue()));
        }
        return new DataCenterModel(this, changed);
    }

    /** Regions sorted by code. */
    public List<Region> regions() {
        return regions;
    }

    /** Data centers sorted by id; a data center's position in this list is its index. */
    public List<DataCenter> dataCenters() {
        return dataCenters;
    }

    public int size() {
        return dataCenters.size();
    }

    public DataCenter dataCenter(int index) {
        return dataCenters.get(index);
    }

    public Optional<DataCenter> dataCenter(String id) {
        Integer i = indexById.get(id);
        return i == null ? Optional.empty() : Optional.of(dataCenters.get(i));
    }

    /** Index of a data center id, or -1 when the model has no such data center. */
    public int indexOf(String id) {
        Integer i = indexById.get(id);
        return i == null ? -1 : i;
    }

    /** Looks a region up by code, ignoring ASCII case only (see {@link Ascii#upperCode}). */
    public Optional<Region> region(String code) {
        return Ascii.upperCode(code).map(regionsByCode::get);
    }

    /** Estimated RTT of the backbone link between two data centers, by index. */
    public double linkRttMs(int a, int b) {
        return dcRttMs[a][b];
    }

    /** A data center's location as a unit vector {x, y, z}, precomputed (do not modify). */
    double[] unitVector(int index) {
        return unitVectors[index];
    }

    /** The data centers' unit vectors in a k-d tree, for nearest-site searches. */
    SiteIndex index() {
        return index;
    }

    /** Ids of the data centers in one region, sorted. */
    public List<String> dataCenterIds(String regionCode) {
        List<String> ids = new ArrayList<>();
        for (DataCenter dc : dataCenters) {
            if (dc.region().equals(regionCode)) {
                ids.add(dc.id());
            }
        }
        return ids;
    }
}
