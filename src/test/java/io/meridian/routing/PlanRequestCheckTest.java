package io.meridian.routing;

import io.meridian.core.Strategy;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast check against Bean Validation itself, on requests drawn from values at and around every
 * constraint's edge: it never accepts what Bean Validation refuses, and it accepts everything Bean
 * Validation accepts (apart from NaN and infinite numbers, which it leaves to Bean Validation).
 */
class PlanRequestCheckTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    @Property(tries = 3000)
    void theCheckShouldAgreeWithBeanValidation(@ForAll("requests") RoutingPlanRequest request) {
        boolean beanValid = VALIDATOR.validate(request).isEmpty();
        boolean fast = PlanRequestCheck.certainlyValid(request);
        if (fast) {
            assertThat(beanValid).as("accepted by the check, refused by Bean Validation: %s", request).isTrue();
        }
        if (beanValid && !hasNonFinite(request)) {
            assertThat(fast).as("accepted by Bean Validation, refused by the check: %s", request).isTrue();
        }
    }

    @Example
    void theBenchmarkRequestShouldTakeTheFastPath() {
        List<RoutingPlanRequest.Participant> ps = new ArrayList<>();
        for (String c : List.of("DE", "FR", "GB", "US", "JP")) {
            ps.add(new RoutingPlanRequest.Participant("p-" + c, new RoutingPlanRequest.Location(c, null, null), null));
        }
        assertThat(PlanRequestCheck.certainlyValid(new RoutingPlanRequest("m-1", "acme", ps, List.of("CN"), null,
                Strategy.AUTO, null))).isTrue();
    }

    private static boolean hasNonFinite(RoutingPlanRequest r) {
        if (r.participants() == null) {
            return false;
        }
        for (RoutingPlanRequest.Participant p : r.participants()) {
            if (p == null) {
                continue;
            }
            List<Double> numbers = new ArrayList<>();
            if (p.location() != null) {
                numbers.add(p.location().latitude());
                numbers.add(p.location().longitude());
            }
            if (p.measuredRttMs() != null) {
                numbers.addAll(p.measuredRttMs().values());
            }
            if (numbers.stream().anyMatch(d -> d != null && !Double.isFinite(d))) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<RoutingPlanRequest> requests() {
        Arbitrary<List<RoutingPlanRequest.Participant>> participants = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just((List<RoutingPlanRequest.Participant>) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(List.<RoutingPlanRequest.Participant>of())),
                net.jqwik.api.Tuple.of(12, participant().list().ofMinSize(1).ofMaxSize(4)));
        return Combinators.combine(ids(), ids(), participants, regionLists(), regionLists(),
                Arbitraries.of(Strategy.class).injectNull(0.3), Arbitraries.of(true, false).injectNull(0.5))
                .as(RoutingPlanRequest::new);
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(6, Arbitraries.of("weekly-sync-42", "acme", "a", "A.b_c:d@e-f", "9z")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("", " ", "-leading", ".x", "a b", "a/b", "ä", "a\n", "\u0000",
                        "x".repeat(128), "x".repeat(129))),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(5)));
    }

    private static Arbitrary<List<String>> regionLists() {
        Arbitrary<String> code = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("EU", "us", "CN", "X".repeat(16))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", "  ", "\t", "X".repeat(17))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just((List<String>) null)),
                net.jqwik.api.Tuple.of(8, code.list().ofMaxSize(3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(java.util.Collections.nCopies(64, "EU"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(java.util.Collections.nCopies(65, "EU"))));
    }

    private static Arbitrary<RoutingPlanRequest.Participant> participant() {
        Arbitrary<String> id = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("alice", "bob 2", "ü-3", "x".repeat(128))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", " ", "a\tb", "a\u001fb", "a\u007fb", "x".repeat(129))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<Double> latitude = edges(-90, 90);
        Arbitrary<Double> longitude = edges(-180, 180);
        Arbitrary<String> country = Arbitraries.of("DE", "us", "XX", "", "D", "DEU").injectNull(0.4);
        Arbitrary<RoutingPlanRequest.Location> location = Combinators.combine(country, latitude, longitude)
                .as(RoutingPlanRequest.Location::new).injectNull(0.05);
        Arbitrary<String> dc = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("sg-sin", "x".repeat(63))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", " ", "x".repeat(64))));
        Arbitrary<Double> rtt = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, edges(0, 60000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Double) null)));
        Arbitrary<Map<String, Double>> rtts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just((Map<String, Double>) null)),
                net.jqwik.api.Tuple.of(4, Arbitraries.maps(dc, rtt).ofMaxSize(3)));
        return Combinators.combine(id, location, rtts).as(RoutingPlanRequest.Participant::new).injectNull(0.03);
    }

    /** Null, values inside, at and just beyond both bounds, and the non-finite ones. */
    private static Arbitrary<Double> edges(double min, double max) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just((Double) null)),
                net.jqwik.api.Tuple.of(6, Arbitraries.doubles().between(min, max)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(min, max, Math.nextDown(min), Math.nextUp(max), -0.0,
                        min - 1, max + 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }
}
