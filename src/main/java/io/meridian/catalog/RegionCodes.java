package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.Region;
import io.meridian.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The one place where region codes from requests are checked against the loaded model. */
@ApplicationScoped
public class RegionCodes {

    private final DataCenterModel model;
    private final String known;

    @Inject
    public RegionCodes(DataCenterModel model) {
        this.model = model;
        this.known = model.regions().stream().map(Region::code).collect(Collectors.joining(", "));
    }

    /**
     * The model's code for one given code, in any ASCII case, or empty. Nothing is trimmed and no
     * Unicode case mapping applies: {@code " EU"} and {@code "ın"} are unknown codes.
     */
    public Optional<String> find(String code) {
        return model.region(code).map(Region::code);
    }

    /**
     * The model's codes for a list (any case, duplicates merged); an unknown code adds an error
     * {@code field[i]} to {@code errors}. A null list is an empty set.
     */
    public SortedSet<String> parse(String field, List<String> codes, List<Problem.FieldError> errors) {
        SortedSet<String> result = new TreeSet<>();
        if (codes == null) {
            return result;
        }
        for (int i = 0; i < codes.size(); i++) {
            Optional<String> code = find(codes.get(i));
            if (code.isPresent()) {
                result.add(code.get());
            } else {
                errors.add(unknown(field + "[" + i + "]"));
            }
        }
        return result;
    }

    /** The error for an unknown code at a field. */
    public Problem.FieldError unknown(String field) {
        return new Problem.FieldError(field, "is not a region of the model; known regions: " + known);
    }
}
