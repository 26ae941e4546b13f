package io.meridian.events;

/** OpenAPI examples of the event feed: real answers of the bundled model (checked by EventExamplesTest). */
public final class EventExamples {

    private EventExamples() {
    }

    public static final String PAGE = """
            {"events": [
              {"seq": 41, "type": "PARTICIPANT_JOINED", "at": "2026-12-01T14:02:11.204311Z", "meeting": "01M8RY6J1V0QJ3WS2C1BXS7F4K", "meetingId": "weekly-sync-42", "participantId": "alice", "dataCenter": "eu-fra", "region": "EU", "openedDataCenter": true},
              {"seq": 42, "type": "PARTICIPANT_JOINED", "at": "2026-12-01T14:02:11.351907Z", "meeting": "01M8RY6J1V0QJ3WS2C1BXS7F4K", "meetingId": "weekly-sync-42", "participantId": "bob", "dataCenter": "au-syd", "region": "AU", "openedDataCenter": true},
              {"seq": 43, "type": "CASCADE_CHANGED", "at": "2026-12-01T14:02:11.351907Z", "meeting": "01M8RY6J1V0QJ3WS2C1BXS7F4K", "meetingId": "weekly-sync-42", "cascadeLinks": [{"from": "au-syd", "to": "eu-fra", "estimatedRttMs": 207.0}]},
              {"seq": 44, "type": "PARTICIPANT_LEFT", "at": "2026-12-01T14:02:12.010562Z", "meeting": "01M8RY6J1V0QJ3WS2C1BXS7F4K", "meetingId": "weekly-sync-42", "participantId": "bob", "dataCenter": "au-syd", "region": "AU"},
              {"seq": 45, "type": "CASCADE_CHANGED", "at": "2026-12-01T14:02:12.010562Z", "meeting": "01M8RY6J1V0QJ3WS2C1BXS7F4K", "meetingId": "weekly-sync-42", "cascadeLinks": []},
              {"seq": 46, "type": "MEETING_ENDED", "at": "2026-12-01T14:02:12.533118Z", "meeting": "01M8RY6J1V0QJ3WS2C1BXS7F4K", "meetingId": "weekly-sync-42", "reason": "ENDED"}
            ], "next": 46}
            """;

    public static final String PROBLEM_EXPIRED = """
            {
              "type": "https://meridian.example/problems/events-expired",
              "title": "Events expired",
              "status": 410,
              "detail": "Events up to 120 were deleted (older than meridian.meetings.event-retention); the oldest event kept is 121. Resume with after=120 (and rebuild the meetings' state from GET /api/v1/meetings/{id}).",
              "instance": "/api/v1/meeting-events"
            }
            """;
}
