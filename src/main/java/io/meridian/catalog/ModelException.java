package io.meridian.catalog;

import java.util.List;

/** The data-center model file cannot be used; the message names every bad entry. */
public class ModelException extends RuntimeException {

    private final List<String> problems;

    public ModelException(String source, List<String> problems) {
        super("Invalid data-center model " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
