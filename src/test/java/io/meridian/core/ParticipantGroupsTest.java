package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ParticipantGroupsTest {

    /** The rule spelt out: equal coordinates (as {@code Double.compare} sees them) and equal measurements. */
    private record Key(double latitude, double longitude, Map<String, Double> measured) {
    }

    @Provide
    Arbitrary<List<Participant>> meetings() {
        // few places and few measurements, so that participants share them often; -0.0 and 0.0 differ
        Arbitrary<Double> coordinate = Arbitraries.of(0.0, -0.0, 1.5, -33.25, 50.11, 89.999);
        Arbitrary<Map<String, Double>> measured = Arbitraries.of(Map.of(), Map.of(), Map.of("a", 4.0),
                Map.of("a", 4.5), Map.of("a", 4.0, "b", 9.0));
        Arbitrary<Participant> participant = Combinators.combine(coordinate, coordinate, measured)
                .as((lat, lon, m) -> new Participant("x", new GeoPoint(lat, lon), m));
        return participant.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 300)
    void groupsAreTheDistinctPlacesWithTheirMeasurementsInOrderOfFirstAppearance(
            @ForAll("meetings") List<Participant> meeting) {
        ParticipantGroups groups = ParticipantGroups.of(meeting);
        Map<Key, Integer> reference = new HashMap<>();
        List<Integer> expectedSizes = new ArrayList<>();
        for (int i = 0; i < meeting.size(); i++) {
            Participant p = meeting.get(i);
            Key key = new Key(p.location().latitude(), p.location().longitude(), p.measuredRttMs());
            Integer g = reference.putIfAbsent(key, reference.size());
            if (g == null) {
                g = reference.size() - 1;
                expectedSizes.add(0);
                assertThat(groups.representatives.get(g)).isSameAs(p);
            }
            expectedSizes.set(g, expectedSizes.get(g) + 1);
            assertThat(groups.groupOf[i]).as("group of participant %d", i).isEqualTo(g);
        }
        assertThat(groups.sizes).containsExactly(expectedSizes.stream().mapToInt(Integer::intValue).toArray());
    }
}
