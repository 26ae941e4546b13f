package io.meridian.events;

import java.util.Objects;
import java.util.Optional;

/**
 * Which events a reader sees: those of meetings {@code owner} created, narrowed to one meeting (its
 * id) or to the meetings of one label, when asked.
 */
public record EventFilter(String owner, Optional<String> meeting, Optional<String> label) {

    public EventFilter {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(meeting, "meeting");
        Objects.requireNonNull(label, "label");
    }

    public static EventFilter of(String owner) {
        return new EventFilter(owner, Optional.empty(), Optional.empty());
    }

    public boolean matches(StoredEvent e) {
        return owner.equals(e.owner()) && meeting.map(e.meeting()::equals).orElse(true)
                && label.map(l -> l.equals(e.label())).orElse(true);
    }
}
