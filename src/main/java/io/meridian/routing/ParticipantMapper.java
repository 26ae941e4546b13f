package io.meridian.routing;

import io.meridian.catalog.CountryDirectory;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.Participant;
import io.meridian.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one home of the participant checks that Bean Validation cannot make: a location resolved
 * against the country directory, coordinates in range, measurements only for data centers of the
 * model. Plans and live-meeting joins use it alike, so the same participant gets the same 400.
 */
@ApplicationScoped
public class ParticipantMapper {

    private final CountryDirectory countries;
    private final DataCenterModel model;

    @Inject
    public ParticipantMapper(CountryDirectory countries, DataCenterModel model) {
        this.countries = countries;
        this.model = model;
    }

    /** The participants of a plan; ids must be unique. Field paths {@code participants[i]...}. */
    public List<Participant> participants(List<RoutingPlanRequest.Participant> input, List<Problem.FieldError> errors) {
        List<Participant> participants = new ArrayList<>(input.size());
        Map<String, Integer> firstIndex = new HashMap<>(input.size() * 2);
        for (int i = 0; i < input.size(); i++) {
            RoutingPlanRequest.Participant p = input.get(i);
            // field paths are built only for errors: this loop runs once per participant
            Integer previous = firstIndex.putIfAbsent(p.id(), i);
            if (previous != null) {
                errors.add(new Problem.FieldError(at(i) + ".id", "duplicates participants[" + previous + "].id"));
            }
            participant(p, i, errors).ifPresent(participants::add);
        }
        return participants;
    }

    /**
     * One participant that Bean Validation already accepted, as a core value; empty with errors added
     * when its location or measurements are not acceptable. Field paths are relative to the
     * participant ({@code location}, {@code measuredRttMs.eu-fra}).
     */
    public Optional<Participant> participant(RoutingPlanRequest.Participant p, List<Problem.FieldError> errors) {
        return participant(p, -1, errors);
    }

    private Optional<Participant> participant(RoutingPlanRequest.Participant p, int index,
                                              List<Problem.FieldError> errors) {
        GeoPoint location = location(index, p.location(), errors);
        Map<String, Double> measured = p.measuredRttMs() == null ? Map.of() : p.measuredRttMs();
        for (Map.Entry<String, Double> m : measured.entrySet()) {
            if (model.indexOf(m.getKey()) < 0) {
                errors.add(new Problem.FieldError(field(index, "measuredRttMs." + m.getKey()),
                        "is not a data center of the model"));
            } else if (!Double.isFinite(m.getValue())) {
                errors.add(new Problem.FieldError(field(index, "measuredRttMs." + m.getKey()), "must be a finite number"));
            }
        }
        return location == null ? Optional.empty() : Optional.of(new Participant(p.id(), location, measured));
    }

    private static String at(int participant) {
        return "participants[" + participant + "]";
    }

    private static String field(int participant, String name) {
        return participant < 0 ? name : at(participant) + "." + name;
    }

    private GeoPoint location(int participant, RoutingPlanRequest.Location location, List<Problem.FieldError> errors) {
        Double lat = location.latitude();
        Double lon = location.longitude();
        if (lat != null || lon != null) {
            if (lat == null || lon == null) {
                errors.add(new Problem.FieldError(field(participant, "location"),
                        "latitude and longitude must be given together"));
                return null;
            }
            if (!GeoPoint.isValid(lat, lon)) {
                errors.add(new Problem.FieldError(field(participant, "location"),
                        "latitude must be in [-90, 90] and longitude in [-180, 180]"));
                return null;
            }
            return new GeoPoint(lat, lon);
        }
        if (location.country() == null) {
            errors.add(new Problem.FieldError(field(participant, "location"), "needs a country or latitude and longitude"));
            return null;
        }
        Optional<CountryDirectory.Country> country = countries.find(location.country());
        if (country.isEmpty()) {
            errors.add(new Problem.FieldError(field(participant, "location.country"),
                    "is not an ISO 3166-1 alpha-2 country code"));
            return null;
        }
        return country.get().centroid();
    }
}
