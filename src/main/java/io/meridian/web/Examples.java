package io.meridian.web;

/** OpenAPI examples, kept as text blocks in one place. Each is a real answer of the bundled model. */
public final class Examples {

    private Examples() {
    }

    public static final String PLAN_REQUEST = """
            {
              "meetingId": "weekly-sync-42",
              "participants": [
                {"id": "alice", "location": {"country": "DE"}},
                {"id": "bob", "location": {"latitude": 37.77, "longitude": -122.42}},
                {"id": "chen", "location": {"country": "SG"}, "measuredRttMs": {"sg-sin": 4.0}}
              ],
              "blockedRegions": ["CN"],
              "strategy": "CASCADE"
            }
            """;

    public static final String PLAN_REQUEST_EU_ONLY = """
            {
              "meetingId": "board-7",
              "participants": [
                {"id": "ana", "location": {"country": "ES"}},
                {"id": "ben", "location": {"country": "US"}}
              ],
              "allowedRegions": ["EU"],
              "strategy": "SINGLE"
            }
            """;

    public static final String PLAN_RESPONSE = """
            {
              "planId": "01M83KB1B9SGTA25W2HJWC0XMV",
              "meetingId": "weekly-sync-42",
              "strategy": "CASCADE",
              "assignments": [
                {"participantId": "alice", "dataCenter": "eu-fra", "region": "EU", "estimatedRttMs": 7.6, "rttSource": "ESTIMATED"},
                {"participantId": "bob", "dataCenter": "us-sjc", "region": "US", "estimatedRttMs": 6.0, "rttSource": "ESTIMATED"},
                {"participantId": "chen", "dataCenter": "sg-sin", "region": "SG", "estimatedRttMs": 4.0, "rttSource": "MEASURED"}
              ],
              "dataCenters": [
                {"id": "eu-fra", "region": "EU", "participants": 1, "primary": true},
                {"id": "sg-sin", "region": "SG", "participants": 1, "primary": false},
                {"id": "us-sjc", "region": "US", "participants": 1, "primary": false}
              ],
              "cascadeLinks": [
                {"from": "eu-fra", "to": "sg-sin", "estimatedRttMs": 129.2},
                {"from": "eu-fra", "to": "us-sjc", "estimatedRttMs": 115.4}
              ],
              "regionsUsed": ["EU", "SG", "US"],
              "effectivePolicy": {"blockedRegions": ["CN"], "allowedRegions": null, "sources": ["request"]},
              "excluded": [
                {"dataCenter": "cn-pek", "region": "CN", "reason": "REGION_BLOCKED"},
                {"dataCenter": "cn-sha", "region": "CN", "reason": "REGION_BLOCKED"}
              ],
              "summary": {"maxRttMs": 7.6, "meanRttMs": 5.9, "worstPairLatencyMs": 254.6},
              "reservation": null,
              "receipt": {"planId": "01M83KB1B9SGTA25W2HJWC0XMV", "entryHash": "D6I3tYeXmjf3EkiIMdcC8t/HtL3BjzdCTepddZ/NJAs=", "leafIndex": null}
            }
            """;

    public static final String PROBLEM_INVALID = """
            {
              "type": "https://meridian.example/problems/invalid-request",
              "title": "Invalid request",
              "status": 400,
              "detail": "The request has 2 invalid fields.",
              "instance": "/api/v1/routing-plans",
              "errors": [
                {"field": "blockedRegions[0]", "message": "is not a region of the model; known regions: AU, CA, CN, EU, HK, IN, JP, LA, SG, US"},
                {"field": "participants[1].location", "message": "latitude must be in [-90, 90] and longitude in [-180, 180]"}
              ]
            }
            """;

    public static final String PROBLEM_TOO_MANY = """
            {
              "type": "https://meridian.example/problems/too-many-participants",
              "title": "Too many participants",
              "status": 413,
              "detail": "The request lists 50001 participants; at most 50000 can be routed in one request.",
              "instance": "/api/v1/routing-plans"
            }
            """;

    public static final String PROBLEM_NO_REGION = """
            {
              "type": "https://meridian.example/problems/no-permitted-region",
              "title": "No permitted region",
              "status": 422,
              "detail": "The effective policy (blocked [EU], allowed [EU]) leaves no region with a data center.",
              "instance": "/api/v1/routing-plans"
            }
            """;

    public static final String PROBLEM_NO_CAPACITY = """
            {
              "type": "https://meridian.example/problems/no-permitted-capacity",
              "title": "No permitted capacity",
              "status": 503,
              "detail": "Permitted data centers lack headroom for 120 of 40120 participants. No blocked region is used instead.",
              "instance": "/api/v1/routing-plans",
              "unroutableParticipants": 120
            }
            """;

    public static final String PROBLEM_UNAUTHORIZED = """
            {
              "type": "https://meridian.example/problems/unauthorized",
              "title": "Unauthorized",
              "status": 401,
              "detail": "A valid bearer token is required (Authorization: Bearer <JWT>).",
              "instance": "/api/v1/routing-plans"
            }
            """;

    public static final String PROBLEM_FORBIDDEN = """
            {
              "type": "https://meridian.example/problems/forbidden",
              "title": "Forbidden",
              "status": 403,
              "detail": "The token's roles or accounts do not allow this request.",
              "instance": "/api/v1/routing-plans"
            }
            """;

    public static final String PROBLEM_NOT_FOUND = """
            {
              "type": "https://meridian.example/problems/not-found",
              "title": "Not found",
              "status": 404,
              "detail": "There is no data center with this id.",
              "instance": "/api/v1/data-centers/xx-nope"
            }
            """;

    public static final String REGIONS = """
            [
              {"code": "AU", "name": "Australia", "dataCenters": ["au-mel", "au-syd"]},
              {"code": "CA", "name": "Canada", "dataCenters": ["ca-yvr", "ca-yyz"]},
              {"code": "EU", "name": "Europe", "dataCenters": ["eu-ams", "eu-dub", "eu-fra"]}
            ]
            """;

    public static final String DATA_CENTERS = """
            [
              {"id": "au-mel", "city": "Melbourne", "region": "AU", "latitude": -37.8136, "longitude": 144.9631,
               "capacity": 8000, "status": "ACTIVE", "reportedLoad": 0, "reserved": 0, "live": 0,
               "liveAtReport": 0, "headroom": 6800,
               "lastReportAt": null},
              {"id": "eu-fra", "city": "Frankfurt", "region": "EU", "latitude": 50.1109, "longitude": 8.6821,
               "capacity": 35000, "status": "ACTIVE", "reportedLoad": 0, "reserved": 0, "live": 0,
               "liveAtReport": 0, "headroom": 29750,
               "lastReportAt": null}
            ]
            """;

    public static final String DATA_CENTER = """
            {"id": "eu-fra", "city": "Frankfurt", "region": "EU", "latitude": 50.1109, "longitude": 8.6821,
             "capacity": 35000, "status": "ACTIVE", "reportedLoad": 0, "reserved": 0, "live": 0,
             "liveAtReport": 0, "headroom": 29750,
             "lastReportAt": null}
            """;
}
