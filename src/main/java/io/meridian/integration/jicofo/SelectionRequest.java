package io.meridian.integration.jicofo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.meridian.core.BridgeSelection;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The body Jicofo's {@code ExternalBridgeSelectionStrategy} sends (jitsi/jicofo pull request 889),
 * read in one streaming pass into {@link BridgeSelection.Bridges} columns, with the Jitsi regions
 * already mapped to data centers.
 *
 * <pre>
 * {"bridges": [{"jid": "...", "version": "..."|null, "colibri2": true, "relay_id": "..."|null,
 *               "region": "..."|null, "stress": 0.12, "operational": true,
 *               "graceful_shutdown": false, "draining": false}, ...],
 *  "conference_bridges": {"jid": participants, ...}|null,
 *  "participant_region": "..."|null, "fallback_strategy": "..."|null}
 * </pre>
 *
 * Read strictly, as the rest of the API is, with one exception: fields this format does not name
 * are skipped, at the top and in each bridge, because the client may add some. The client writes
 * its body with json-simple, in whatever order its maps give (so {@code conference_bridges} may come
 * before {@code bridges}); a NaN or infinite stress would be written as a bare token, which is not
 * JSON and answers 400 like any malformed body.
 *
 * @param bridges            the offered bridges in request order
 * @param participantDc      the data center the participant's region maps to, or {@link BridgeSelection#NO_DATA_CENTER}
 * @param conferenceHasBridges whether {@code conference_bridges} named any bridge (false: the
 *                           conference's first bridge is being chosen)
 */
record SelectionRequest(BridgeSelection.Bridges bridges, int participantDc, boolean conferenceHasBridges) {

    /** Most bridges one request may offer. */
    static final int MAX_BRIDGES = 10_000;

    /** Conference bridges up to this many are resolved by scanning; more through a map of every jid. */
    private static final int SCAN_LIMIT = 8;

    /**
     * @throws ProblemException 400 listing every invalid field
     * @throws IOException      a body that is not JSON (answered 400 by the problem mapper)
     */
    static SelectionRequest parse(byte[] body, JsonFactory json, JicofoRegions regions) throws IOException {
        if (body.length == 0) {
            throw ProblemException.invalid("body", "is required: send a JSON object");
        }
        try (JsonParser p = json.createParser(body)) {
            return new Reader(p, regions).read();
        }
    }

    private static final class Reader {
        private final JsonParser p;
        private final JicofoRegions regions;
        private final List<Problem.FieldError> errors = new ArrayList<>();
        private BridgeSelection.Bridges.Builder builder;
        private final List<String> jids = new ArrayList<>();
        private final List<String> conference = new ArrayList<>();
        private boolean bridgesGiven;
        private String participantRegion;

        Reader(JsonParser p, JicofoRegions regions) {
            this.p = p;
            this.regions = regions;
        }

        SelectionRequest read() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.invalid("body", "must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "bridges" -> bridges();
                    case "conference_bridges" -> conferenceBridges();
                    case "participant_region" -> participantRegion = stringOrNull(-1, name);
                    case "fallback_strategy" -> stringOrNull(-1, name);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ProblemException.invalid("body", "has content after the JSON object");
            }
            if (!bridgesGiven) {
                errors.add(new Problem.FieldError("bridges", "is required: a non-empty array of bridges"));
            }
            if (builder != null && errors.isEmpty()) {
                resolveConference();
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return new SelectionRequest(builder.build(), regions.dataCenter(participantRegion), !conference.isEmpty());
        }

        private void bridges() throws IOException {
            bridgesGiven = true;
            if (p.currentToken() != JsonToken.START_ARRAY) {
                errors.add(new Problem.FieldError("bridges", "must be a non-empty array of bridges"));
                p.skipChildren();
                return;
            }
            builder = BridgeSelection.Bridges.builder(32);
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (i == MAX_BRIDGES) {
                    errors.add(new Problem.FieldError("bridges", "may list at most " + MAX_BRIDGES + " bridges"));
                    p.skipChildren();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                    return;
                }
                bridge(i++);
            }
            if (i == 0) {
                errors.add(new Problem.FieldError("bridges", "must list at least one bridge"));
            }
        }

        private void bridge(int i) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                errors.add(new Problem.FieldError(field(i, null), "must be an object"));
                p.skipChildren();
                builder.add(BridgeSelection.NO_DATA_CENTER, 0, false, false, false);
                jids.add(null);
                return;
            }
            String jid = null;
            String region = null;
            double stress = Double.NaN;
            Boolean operational = null;
            Boolean shutdown = null;
            Boolean draining = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "jid" -> jid = stringOrNull(i, name);
                    case "version", "relay_id" -> stringOrNull(i, name);
                    case "region" -> region = stringOrNull(i, name);
                    case "colibri2" -> booleanOrNull(i, name);
                    case "stress" -> stress = stress(i);
                    case "operational" -> operational = booleanOrNull(i, name);
                    case "graceful_shutdown" -> shutdown = booleanOrNull(i, name);
                    case "draining" -> draining = booleanOrNull(i, name);
                    default -> p.skipChildren();
                }
            }
            if (jid == null) {
                required(i, "jid", "a non-empty string");
            } else if (jid.isEmpty()) {
                errors.add(new Problem.FieldError(field(i, "jid"), "must be a non-empty string"));
            }
            if (Double.isNaN(stress)) {
                stress = 0;
                required(i, "stress", "a number at least 0");
            }
            if (operational == null) {
                required(i, "operational", "true or false");
            }
            if (shutdown == null) {
                required(i, "graceful_shutdown", "true or false");
            }
            if (draining == null) {
                required(i, "draining", "true or false");
            }
            builder.add(regions.dataCenter(region), stress, Boolean.TRUE.equals(operational),
                    Boolean.TRUE.equals(shutdown), Boolean.TRUE.equals(draining));
            jids.add(jid);
        }

        /**
         * The path of a field in an error ("bridges[3].stress"); built only for an error, so that a
         * valid request of thousands of bridges builds none. {@code bridge} -1 is the top level.
         */
        private static String field(int bridge, String name) {
            if (bridge < 0) {
                return name;
            }
            return name == null ? "bridges[" + bridge + "]" : "bridges[" + bridge + "]." + name;
        }

        /** A missing value is reported as missing, unless its present but invalid value was reported already. */
        private void required(int bridge, String name, String what) {
            String field = field(bridge, name);
            if (errors.stream().noneMatch(e -> e.field().equals(field))) {
                errors.add(new Problem.FieldError(field, "is required: " + what));
            }
        }

        private double stress(int bridge) throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                errors.add(new Problem.FieldError(field(bridge, "stress"), "must be a number at least 0"));
                p.skipChildren();
                return 0;
            }
            double value = p.getDoubleValue();
            if (!Double.isFinite(value)) {
                errors.add(new Problem.FieldError(field(bridge, "stress"), "must be a finite number"));
                return 0;
            }
            if (value < 0) {
                errors.add(new Problem.FieldError(field(bridge, "stress"), "must be at least 0"));
                return 0;
            }
            return value;
        }

        private void conferenceBridges() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return;
            }
            if (t != JsonToken.START_OBJECT) {
                errors.add(new Problem.FieldError("conference_bridges",
                        "must be an object: bridge jid to participant count"));
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String jid = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                    errors.add(new Problem.FieldError("conference_bridges." + jid,
                            "must be a whole number of participants, at least 0"));
                    p.skipChildren();
                }
                conference.add(jid);
            }
        }

        /** Marks each conference bridge; every key must be the jid of exactly one offered bridge. */
        private void resolveConference() {
            if (conference.isEmpty()) {
                return;
            }
            Map<String, Integer> index = null;
            if (conference.size() > SCAN_LIMIT) {
                index = new HashMap<>(jids.size() * 2);
                for (int i = 0; i < jids.size(); i++) {
                    if (index.putIfAbsent(jids.get(i), i) != null) {
                        index.put(jids.get(i), -1);
                    }
                }
            }
            for (String jid : conference) {
                int found = index != null ? index.getOrDefault(jid, -2) : scan(jid);
                if (found == -2) {
                    errors.add(new Problem.FieldError("conference_bridges." + jid,
                            "is not the jid of any bridge in bridges"));
                } else if (found == -1) {
                    errors.add(new Problem.FieldError("bridges", "lists the jid " + jid
                            + " more than once, so conference_bridges cannot name one of them"));
                } else {
                    builder.inConference(found);
                }
            }
        }

        /** The index of the one bridge with this jid; -2 for none, -1 for several. */
        private int scan(String jid) {
            int found = -2;
            for (int i = 0; i < jids.size(); i++) {
                if (jid.equals(jids.get(i))) {
                    if (found >= 0) {
                        return -1;
                    }
                    found = i;
                }
            }
            return found;
        }

        private String stringOrNull(int bridge, String name) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (t != JsonToken.VALUE_NULL) {
                errors.add(new Problem.FieldError(field(bridge, name), "must be a string or null"));
                p.skipChildren();
            }
            return null;
        }

        private Boolean booleanOrNull(int bridge, String name) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            if (t != JsonToken.VALUE_NULL) {
                errors.add(new Problem.FieldError(field(bridge, name), "must be true or false"));
                p.skipChildren();
            }
            return null;
        }
    }
}
