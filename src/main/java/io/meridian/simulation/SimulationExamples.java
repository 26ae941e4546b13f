package io.meridian.simulation;

/**
 * OpenAPI examples of the simulation endpoint, as text blocks. The response is a real answer of the
 * bundled model on an idle live state (SimulationResourceTest checks it), with the per-data-center
 * lists shortened.
 */
public final class SimulationExamples {

    private SimulationExamples() {
    }

    public static final String REQUEST = """
            {
              "scenario": {"dataCentersDown": ["eu-fra"], "regionsBlocked": ["CN"], "capacityFactor": {"us-sjc": 0.5}},
              "workload": {"meetings": 2000, "participantsPerMeeting": {"min": 2, "max": 40},
                           "countries": {"US": 0.4, "DE": 0.2, "IN": 0.2, "BR": 0.1, "JP": 0.1}, "seed": 42}
            }
            """;

    public static final String RESPONSE = """
            {
              "workload": {"seed": 42, "meetings": 2000, "participants": 42520},
              "strategy": "AUTO",
              "baseline": {
                "routableMeetings": 2000, "unroutableMeetings": 0, "participants": 42520, "routedParticipants": 42520, "unroutableParticipants": 0,
                "meanRttMs": 95.3, "p95RttMs": 143.3, "meanWorstPairLatencyMs": 268.7, "p95WorstPairLatencyMs": 287.9,
                "byRegion": [
                  {"region": "AU", "participants": 0, "share": 0.0},
                  {"region": "CA", "participants": 210, "share": 0.0049},
                  {"region": "CN", "participants": 0, "share": 0.0},
                  {"region": "EU", "participants": 40111, "share": 0.9433},
                  {"region": "HK", "participants": 10, "share": 0.0002},
                  {"region": "IN", "participants": 545, "share": 0.0128},
                  {"region": "JP", "participants": 341, "share": 0.008},
                  {"region": "LA", "participants": 24, "share": 0.0006},
                  {"region": "SG", "participants": 0, "share": 0.0},
                  {"region": "US", "participants": 1279, "share": 0.0301}
                ],
                "byDataCenter": [
                  {"dataCenter": "eu-ams", "region": "EU", "status": "ACTIVE", "capacity": 30000, "participants": 25498, "share": 0.5997, "load": 25498, "usableCapacity": 25500},
                  {"dataCenter": "eu-dub", "region": "EU", "status": "ACTIVE", "capacity": 15000, "participants": 3268, "share": 0.0769, "load": 3268, "usableCapacity": 12750},
                  {"dataCenter": "eu-fra", "region": "EU", "status": "ACTIVE", "capacity": 35000, "participants": 11345, "share": 0.2668, "load": 11345, "usableCapacity": 29750},
                  {"dataCenter": "us-sjc", "region": "US", "status": "ACTIVE", "capacity": 40000, "participants": 0, "share": 0.0, "load": 0, "usableCapacity": 34000}
                ],
                "dataCentersOverLimit": []
              },
              "scenario": {
                "routableMeetings": 2000, "unroutableMeetings": 0, "participants": 42520, "routedParticipants": 42520, "unroutableParticipants": 0,
                "meanRttMs": 92.3, "p95RttMs": 142.7, "meanWorstPairLatencyMs": 270.4, "p95WorstPairLatencyMs": 294.6,
                "byRegion": [
                  {"region": "AU", "participants": 0, "share": 0.0},
                  {"region": "CA", "participants": 210, "share": 0.0049},
                  {"region": "CN", "participants": 0, "share": 0.0},
                  {"region": "EU", "participants": 38250, "share": 0.8996},
                  {"region": "HK", "participants": 10, "share": 0.0002},
                  {"region": "IN", "participants": 928, "share": 0.0218},
                  {"region": "JP", "participants": 567, "share": 0.0133},
                  {"region": "LA", "participants": 222, "share": 0.0052},
                  {"region": "SG", "participants": 0, "share": 0.0},
                  {"region": "US", "participants": 2333, "share": 0.0549}
                ],
                "byDataCenter": [
                  {"dataCenter": "eu-ams", "region": "EU", "status": "ACTIVE", "capacity": 30000, "participants": 25500, "share": 0.5997, "load": 25500, "usableCapacity": 25500},
                  {"dataCenter": "eu-dub", "region": "EU", "status": "ACTIVE", "capacity": 15000, "participants": 12750, "share": 0.2999, "load": 12750, "usableCapacity": 12750},
                  {"dataCenter": "eu-fra", "region": "EU", "status": "DOWN", "capacity": 35000, "participants": 0, "share": 0.0, "load": 0, "usableCapacity": 29750},
                  {"dataCenter": "us-sjc", "region": "US", "status": "ACTIVE", "capacity": 20000, "participants": 91, "share": 0.0021, "load": 91, "usableCapacity": 17000}
                ],
                "dataCentersOverLimit": ["eu-ams", "eu-dub"]
              },
              "comparison": {
                "routableMeetingsChange": 0, "unroutableMeetingsChange": 0, "routedParticipantsChange": 0,
                "meanRttMsChange": -3.0, "p95RttMsChange": -0.6, "meanWorstPairLatencyMsChange": 1.7, "p95WorstPairLatencyMsChange": 6.7,
                "byRegion": [
                  {"region": "AU", "participantsChange": 0, "shareChange": 0.0},
                  {"region": "CA", "participantsChange": 0, "shareChange": 0.0},
                  {"region": "CN", "participantsChange": 0, "shareChange": 0.0},
                  {"region": "EU", "participantsChange": -1861, "shareChange": -0.0437},
                  {"region": "HK", "participantsChange": 0, "shareChange": 0.0},
                  {"region": "IN", "participantsChange": 383, "shareChange": 0.009},
                  {"region": "JP", "participantsChange": 226, "shareChange": 0.0053},
                  {"region": "LA", "participantsChange": 198, "shareChange": 0.0046},
                  {"region": "SG", "participantsChange": 0, "shareChange": 0.0},
                  {"region": "US", "participantsChange": 1054, "shareChange": 0.0248}
                ]
              }
            }
            """;

    public static final String PROBLEM_INVALID = """
            {
              "type": "https://meridian.example/problems/invalid-request",
              "title": "Invalid request",
              "status": 400,
              "detail": "The request has 2 invalid fields.",
              "instance": "/api/v1/simulations",
              "errors": [
                {"field": "workload.countries.XX", "message": "is not an ISO 3166-1 alpha-2 country code"},
                {"field": "scenario.dataCentersDown[0]", "message": "is not a data center of the model"}
              ]
            }
            """;

    public static final String PROBLEM_TOO_LARGE = """
            {
              "type": "https://meridian.example/problems/simulation-too-large",
              "title": "Simulation too large",
              "status": 413,
              "detail": "The workload has 20000 meetings; at most 10000 (meridian.simulation.max-meetings) can be simulated at once.",
              "instance": "/api/v1/simulations"
            }
            """;

    public static final String PROBLEM_BUSY = """
            {
              "type": "https://meridian.example/problems/simulation-busy",
              "title": "Simulation busy",
              "status": 429,
              "detail": "Another simulation is running on this replica; simulations run one at a time so that they never slow live routing. Retry later.",
              "instance": "/api/v1/simulations"
            }
            """;
}
