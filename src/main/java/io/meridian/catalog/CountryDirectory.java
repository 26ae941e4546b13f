package io.meridian.catalog;

import io.meridian.core.Ascii;
import io.meridian.core.GeoPoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ISO 3166-1 alpha-2 country codes and a representative point (centroid) for each, read from the
 * bundled {@code countries.csv} (its header names the source). A participant located only by
 * country is placed at that point.
 */
public final class CountryDirectory {

    /** Classpath location of the bundled table. */
    public static final String BUNDLED = "io/meridian/catalog/countries.csv";

    /** One country of the table. */
    public record Country(String code, String name, GeoPoint centroid) {
    }

    private final Map<String, Country> byCode;

    private CountryDirectory(Map<String, Country> byCode) {
        this.byCode = Collections.unmodifiableMap(byCode);
    }

    /** Loads the bundled table. */
    public static CountryDirectory bundled() {
        try (InputStream in = CountryDirectory.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled country table " + BUNDLED + " is missing");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CountryDirectory read(InputStream in) throws IOException {
        Map<String, Country> countries = new TreeMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        boolean header = true;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            List<String> cells = splitCsv(line);
            if (cells.size() != 4) {
                throw new IllegalStateException("country table line " + lineNo + ": expected 4 columns");
            }
            String code = cells.get(0).strip().toUpperCase(Locale.ROOT);
            GeoPoint point = new GeoPoint(Double.parseDouble(cells.get(2).strip()),
                    Double.parseDouble(cells.get(3).strip()));
            if (countries.put(code, new Country(code, cells.get(1).strip(), point)) != null) {
                throw new IllegalStateException("country table line " + lineNo + ": duplicate code " + code);
            }
        }
        return new CountryDirectory(countries);
    }

    private static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** Looks a country up by its alpha-2 code, ignoring ASCII case only (nothing trimmed, see {@link Ascii}). */
    public Optional<Country> find(String code) {
        return Ascii.upperCode(code).map(byCode::get);
    }

    /** All countries, by code. */
    public Map<String, Country> all() {
        return byCode;
    }
}
