package io.meridian.meeting;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * Every controller-loop test again with {@code meridian.meetings.batch-size=1}: no committer thread,
 * each join, leave, renewal and end runs in a transaction of its own on a worker thread (the request
 * itself never blocks its event loop).
 */
@QuarkusTest
@TestProfile(MeetingUnbatchedTest.Unbatched.class)
class MeetingUnbatchedTest extends MeetingResourceTest {

    public static class Unbatched implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.meetings.batch-size", "1");
        }
    }
}
