package io.meridian.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.LatencyModel;
import io.meridian.core.Region;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates a data-center model file. YAML is the documented format; JSON, being YAML,
 * is read too. Every problem is collected so that one failed start names all bad entries.
 */
public final class ModelLoader {

    /** Classpath location of the bundled model. */
    public static final String BUNDLED = "io/meridian/catalog/data-centers.yaml";

    static final Pattern REGION_CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,15}");
    static final Pattern DC_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    record ModelFile(List<RegionEntry> regions, List<DataCenterEntry> dataCenters) {
    }

    record RegionEntry(String code, String name) {
    }

    record DataCenterEntry(String id, String city, String region, Double latitude, Double longitude,
                           Integer capacity) {
    }

    private ModelLoader() {
    }

    /**
     * @param source  name of the source for messages (a path or "bundled model")
     * @param in      the file's content
     * @param latency latency model for the backbone link estimates
     * @throws ModelException when the file cannot be parsed or breaks a rule
     */
    public static DataCenterModel load(String source, InputStream in, LatencyModel latency) {
        ModelFile file;
        try {
            file = YAML.readValue(in, ModelFile.class);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException parse) {
                throw new ModelException(source, List.of("not valid YAML: " + parse.getOriginalMessage()));
            }
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            throw new ModelException(source, List.of((path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ModelException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "")));
        } catch (IOException e) {
            throw new ModelException(source, List.of("cannot be read: " + e.getMessage()));
        }
        if (file == null) {
            throw new ModelException(source, List.of("the file is empty"));
        }
        List<String> problems = new ArrayList<>();
        List<Region> regions = regions(file.regions(), problems);
        Set<String> codes = regions.stream().map(Region::code).collect(Collectors.toSet());
        List<DataCenter> dcs = dataCenters(file.dataCenters(), codes, problems);
        if (!problems.isEmpty()) {
            throw new ModelException(source, problems);
        }
        return new DataCenterModel(regions, dcs, latency);
    }

    private static List<Region> regions(List<RegionEntry> entries, List<String> problems) {
        List<Region> regions = new ArrayList<>();
        if (entries == null || entries.isEmpty()) {
            problems.add("regions: at least one region is required");
            return regions;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            RegionEntry e = entries.get(i);
            String at = "regions[" + i + "]";
            if (e == null) {
                problems.add(at + ": empty entry");
                continue;
            }
            at += e.code() != null ? " (" + e.code() + ")" : "";
            boolean ok = true;
            if (e.code() == null || !REGION_CODE.matcher(e.code()).matches()) {
                problems.add(at + ": code must be 2-16 upper-case letters, digits or '_'");
                ok = false;
            } else if (!seen.add(e.code())) {
                problems.add(at + ": duplicate region code");
                ok = false;
            }
            if (e.name() == null || e.name().isBlank()) {
                problems.add(at + ": name is required");
                ok = false;
            }
            if (ok) {
                regions.add(new Region(e.code(), e.name().strip()));
            }
        }
        return regions;
    }

    private static List<DataCenter> dataCenters(List<DataCenterEntry> entries, Set<String> regionCodes,
                                                List<String> problems) {
        List<DataCenter> dcs = new ArrayList<>();
        if (entries == null || entries.isEmpty()) {
            problems.add("dataCenters: at least one data center is required");
            return dcs;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            DataCenterEntry e = entries.get(i);
            String at = "dataCenters[" + i + "]";
            if (e == null) {
                problems.add(at + ": empty entry");
                continue;
            }
            at += e.id() != null ? " (" + e.id() + ")" : "";
            int before = problems.size();
            if (e.id() == null || !DC_ID.matcher(e.id()).matches()) {
                problems.add(at + ": id must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
            } else if (!seen.add(e.id())) {
                problems.add(at + ": duplicate data center id");
            }
            if (e.city() == null || e.city().isBlank()) {
                problems.add(at + ": city is required");
            }
            if (e.region() == null) {
                problems.add(at + ": region is required");
            } else if (!regionCodes.contains(e.region())) {
                problems.add(at + ": region '" + e.region() + "' is not one of the model's regions");
            }
            if (e.latitude() == null || e.longitude() == null) {
                problems.add(at + ": latitude and longitude are required");
            } else if (!GeoPoint.isValid(e.latitude(), e.longitude())) {
                problems.add(at + ": latitude must be in [-90, 90] and longitude in [-180, 180]");
            }
            if (e.capacity() == null || e.capacity() <= 0) {
                problems.add(at + ": capacity must be a positive number of participants");
            }
            if (problems.size() == before) {
                dcs.add(new DataCenter(e.id(), e.city().strip(), e.region(),
                        new GeoPoint(e.latitude(), e.longitude()), e.capacity()));
            }
        }
        return dcs;
    }
}
