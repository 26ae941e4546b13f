package io.meridian.core;

import java.util.Objects;

/** A jurisdiction-level group of data centers, identified by an upper-case code such as {@code EU}. */
public record Region(String code, String name) {
    public Region {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
    }
}
