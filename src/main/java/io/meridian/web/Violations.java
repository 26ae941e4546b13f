package io.meridian.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns Bean Validation results into the field errors of an invalid-request problem. */
public final class Violations {

    private Violations() {
    }

    /** Field errors sorted by field, duplicates removed. */
    public static List<Problem.FieldError> toFieldErrors(Set<? extends ConstraintViolation<?>> violations) {
        Set<Problem.FieldError> errors = new LinkedHashSet<>();
        for (ConstraintViolation<?> v : violations) {
            errors.add(new Problem.FieldError(path(v.getPropertyPath()), v.getMessage()));
        }
        List<Problem.FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return sorted;
    }

    /**
     * A JSON-style path: {@code participants[2].location.latitude}. Method and parameter nodes of
     * method validation are dropped, as are the synthetic names of container elements.
     */
    static String path(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.PARAMETER
                    || kind == ElementKind.CROSS_PARAMETER || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                out.append('.').append(node.getKey());
            }
            String name = node.getName();
            if (name != null && !name.isEmpty() && !name.startsWith("<")) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(name);
            }
        }
        return out.length() == 0 ? "body" : out.toString();
    }
}
