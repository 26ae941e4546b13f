package io.meridian.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GeoPointTest {

    @Test
    void asinShouldMatchTheLibraryToAPicoradian() {
        double worst = 0;
        for (int i = 0; i <= 1_000_000; i++) {
            double x = i / 1_000_000.0;
            worst = Math.max(worst, Math.abs(GeoPoint.asin(x) - Math.asin(x)));
        }
        assertThat(worst).isLessThan(1e-12);
    }

    @Test
    void asinAndTheDistanceOfAChordShouldNeverStepDown() {
        // routing ranks data centers by the squared chord and prices only some: that is exact only
        // if no larger chord ever gives a smaller distance, also where asin switches method at 0.5
        double x = 0.5;
        for (int i = 0; i < 10_000; i++) {
            x = Math.nextDown(x);
        }
        double previous = GeoPoint.asin(x);
        for (int i = 0; i < 20_000; i++) {
            x = Math.nextUp(x);
            assertThat(GeoPoint.asin(x)).as("asin at %s", x).isGreaterThanOrEqualTo(previous);
            previous = GeoPoint.asin(x);
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            double a = random.nextDouble(0, 4);
            double b = Math.nextUp(a + random.nextDouble(0, 1e-6));
            assertThat(GeoPoint.arcKm(b)).as("distance at %s and %s", a, b).isGreaterThanOrEqualTo(GeoPoint.arcKm(a));
        }
        assertThat(GeoPoint.arcKm(4.0)).isCloseTo(Math.PI * GeoPoint.EARTH_RADIUS_KM, within(1e-6));
    }

    @Test
    void distancesShouldMatchPublishedGreatCircleFigures() {
        GeoPoint frankfurt = new GeoPoint(50.1109, 8.6821);
        GeoPoint sanJose = new GeoPoint(37.3382, -121.8863);
        GeoPoint sydney = new GeoPoint(-33.8688, 151.2093);
        GeoPoint london = new GeoPoint(51.5074, -0.1278);
        GeoPoint paris = new GeoPoint(48.8566, 2.3522);
        // London-Paris is about 344 km, Frankfurt-San Jose about 9,150 km
        assertThat(london.distanceKm(paris)).isCloseTo(343.5, within(2.0));
        assertThat(frankfurt.distanceKm(sanJose)).isCloseTo(9150, within(60.0));
        assertThat(frankfurt.distanceKm(frankfurt)).isEqualTo(0.0);
        // antipodes: half the circumference
        assertThat(new GeoPoint(0, 0).distanceKm(new GeoPoint(0, 180))).isCloseTo(Math.PI * GeoPoint.EARTH_RADIUS_KM, within(1e-6));
        assertThat(sydney.distanceKm(london)).isCloseTo(london.distanceKm(sydney), within(1e-9));
    }

    @Test
    void shouldRejectImpossibleCoordinates() {
        assertThatThrownBy(() -> new GeoPoint(90.0001, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GeoPoint(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GeoPoint(0, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GeoPoint.isValid(-90, 180)).isTrue();
    }

    @Test
    void latencyModelShouldFollowTheDocumentedFormula() {
        LatencyModel model = new LatencyModel(200, 1.5, 5);
        assertThat(model.rttMs(0)).isEqualTo(5.0);
        assertThat(model.rttMs(1000)).isEqualTo(5 + 2 * 1000 * 1.5 / 200);
        assertThatThrownBy(() -> new LatencyModel(200, 0.9, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
