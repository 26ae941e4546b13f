package io.meridian.reservation;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * Every reservation test again with {@code meridian.reservation.batch-size=1}: no holder thread, each
 * request holds and releases in a transaction of its own on its own thread (and holds the capacity
 * snapshot's commit guard itself).
 */
@QuarkusTest
@TestProfile(ReservationUnbatchedTest.Unbatched.class)
class ReservationUnbatchedTest extends ReservationResourceTest {

    public static class Unbatched implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.reservation.batch-size", "1");
        }
    }
}
