package io.meridian.events;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The JSON representation of the feed: one page. (Written as text by the resource; this is its schema.) */
@Schema(name = "MeetingEventPage", description = "Events of the caller's meetings, in sequence order.")
public record EventPage(
        @Schema(required = true) List<MeetingEvent> events,
        @Schema(description = "Pass as after= to read on: the last event's seq when the page is full, else how far the "
                + "feed was read (events of other callers are skipped).", examples = "42", required = true) long next) {

    /** The page's JSON, from the events' stored JSON as is. */
    static String json(EventReader.Page page) {
        StringBuilder s = new StringBuilder(64 + page.events().size() * 256).append("{\"events\":[");
        for (int i = 0; i < page.events().size(); i++) {
            s.append(i == 0 ? "" : ",").append(page.events().get(i).json());
        }
        return s.append("],\"next\":").append(page.next()).append('}').toString();
    }
}
