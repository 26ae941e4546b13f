package io.meridian.integration.jicofo;

/**
 * OpenAPI examples of the Jicofo integration, as text blocks. The request is what the pull request's
 * client writes (json-simple escapes every {@code /}); the answers are real ones for it on the
 * bundled model (checked by a test).
 */
public final class JicofoExamples {

    private JicofoExamples() {
    }

    public static final String REQUEST = """
            {"bridges":[{"jid":"jvbbrewery@internal.auth.meet.example\\/jvb-fra-1","version":"2.3.105",\
            "colibri2":true,"relay_id":"10.0.1.5","region":"eu-fra","stress":0.12,"operational":true,\
            "graceful_shutdown":false,"draining":false},{"jid":"jvbbrewery@internal.auth.meet.example\\/jvb-ams-1",\
            "version":"2.3.105","colibri2":true,"relay_id":null,"region":"eu-ams","stress":0.05,\
            "operational":true,"graceful_shutdown":false,"draining":false}],\
            "conference_bridges":{"jvbbrewery@internal.auth.meet.example\\/jvb-fra-1":3},\
            "participant_region":"eu-ams","fallback_strategy":null}""";

    public static final String ANSWER = """
            {"selected_bridge_index": 0, "dataCenter": "eu-fra", "region": "EU", "reason": "CONFERENCE_BRIDGE"}""";

    public static final String PROBLEM_NO_BRIDGE = """
            {
              "type": "https://meridian.example/problems/no-permitted-capacity",
              "title": "No permitted capacity",
              "status": 503,
              "detail": "No offered bridge may take this participant (1 in a region the account blocks, 1 at or above the stress threshold 0.8). No bridge in a forbidden region is used instead.",
              "instance": "/api/v1/integrations/jicofo/{integrationKey}/bridge-selection",
              "unroutableParticipants": 1
            }""";

    public static final String KEY_CREATED = """
            {"id": "7d0c1c9e-3f0a-4a4e-9a55-2b8f0c6f4b1e",
             "url": "https://meridian.example.com/api/v1/integrations/jicofo/\
            q3Vb0m8cX1yHkz2N5tP7wR9aD4fG6jL8sU0eI2oA1bC/bridge-selection",
             "createdAt": "2026-11-23T09:30:00.123456Z", "createdBy": "admin@acme.example"}""";
}
