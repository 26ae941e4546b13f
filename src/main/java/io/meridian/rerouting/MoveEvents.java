package io.meridian.rerouting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.events.PendingEvent;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The bodies of the events a move appends: {@code PARTICIPANT_MOVED}, {@code PARTICIPANT_DISCONNECTED}
 * and {@code CASCADE_CHANGED}, with exactly the contract's fields (the feed adds {@code seq}).
 */
public final class MoveEvents {

    public static final String MOVED = "PARTICIPANT_MOVED";
    public static final String DISCONNECTED = "PARTICIPANT_DISCONNECTED";
    public static final String CASCADE_CHANGED = "CASCADE_CHANGED";

    private static final ObjectMapper JSON = new ObjectMapper();

    private MoveEvents() {
    }

    /** The meeting an event is about: its id, its client's label (or null) and its owner. */
    public record Meeting(String id, String label, String owner) {
    }

    /** A data center and its region. */
    public record Place(String dataCenter, String region) {
    }

    /** A cascade link as the meeting view shows it. */
    public record Link(String from, String to, double estimatedRttMs) {
    }

    public static PendingEvent moved(Meeting m, String participantId, Place from, Place to, String reason,
                                     RerouteCause cause, Instant at) {
        ObjectNode body = head(MOVED, m, at);
        body.put("participantId", participantId);
        place(body.putObject("from"), from);
        place(body.putObject("to"), to);
        body.put("reason", reason);
        cause(body.putObject("cause"), cause);
        return event(m, MOVED, at, body);
    }

    public static PendingEvent disconnected(Meeting m, String participantId, Place from, String reason,
                                            RerouteCause cause, Instant at) {
        ObjectNode body = head(DISCONNECTED, m, at);
        body.put("participantId", participantId);
        place(body.putObject("from"), from);
        body.put("reason", reason);
        cause(body.putObject("cause"), cause);
        return event(m, DISCONNECTED, at, body);
    }

    public static PendingEvent cascadeChanged(Meeting m, List<Link> links, RerouteCause cause, Instant at) {
        ObjectNode body = head(CASCADE_CHANGED, m, at);
        var array = body.putArray("cascadeLinks");
        for (Link l : links) {
            array.addObject().put("from", l.from()).put("to", l.to()).put("estimatedRttMs", l.estimatedRttMs());
        }
        cause(body.putObject("cause"), cause);
        return event(m, CASCADE_CHANGED, at, body);
    }

    private static ObjectNode head(String type, Meeting m, Instant at) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type);
        body.put("at", DateTimeFormatter.ISO_INSTANT.format(at));
        body.put("meeting", m.id());
        body.put("meetingId", m.label());
        return body;
    }

    private static void place(ObjectNode node, Place p) {
        node.put("dataCenter", p.dataCenter());
        node.put("region", p.region());
    }

    private static void cause(ObjectNode node, RerouteCause cause) {
        node.put("type", cause.type());
        if (cause instanceof RerouteCause.PolicyChange p) {
            node.put("accountId", p.accountId());
            node.put("version", p.version());
        } else if (cause instanceof RerouteCause.DataCenterStatusChange d) {
            node.put("dataCenter", d.dataCenter());
            node.put("status", d.status().name());
        }
    }

    private static PendingEvent event(Meeting m, String type, Instant at, ObjectNode body) {
        try {
            return new PendingEvent(m.id(), m.owner(), type, at, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event body could not be written", e);
        }
    }
}
