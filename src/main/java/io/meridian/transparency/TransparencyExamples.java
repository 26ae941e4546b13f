package io.meridian.transparency;

/**
 * OpenAPI examples of the transparency log's answers: real answers of one run of the packaged
 * service (docs/transparency.md shows the same run), and checked for shape against live answers
 * by TransparencyLogTest.
 */
final class TransparencyExamples {

    private TransparencyExamples() {
    }

    static final String TREE_HEAD = """
            {
              "logId": "meridian.example/routing-log",
              "treeSize": 5,
              "timestamp": "2026-12-01T11:09:00.015Z",
              "timestampMillis": 1796123340015,
              "rootHash": "faVBi1+4sAN0/os89k6lY8XKI110zrkh18jT7Efe9l4=",
              "keyId": "u91lOGNi0f2DiYbK-Mss58tSCo2hYG1fb1SRK_MXBro",
              "algorithm": "Ed25519",
              "signature": "f2w44w3MqeifU9ltHEcUznQ/x9Qs+Q2UT1B1rwf+xfTbk5B0qLYaNqDUxbLovcAW+bADNoxyNessekQkLob7Dw=="
            }
            """;

    static final String INCLUSION = """
            {
              "planId": "01M8RMNWGQSKQ1K9TKK1N4DSW7",
              "leafIndex": 0,
              "treeSize": 5,
              "leafHash": "EQOqdyNoF7lFXiRYQut5WYR9VynadHPr/OwsFIUB5Z4=",
              "auditPath": [
                "OWRpXRmnsNI/WySTyFV5ae4HL+7kJ4cHRZI+re2VUFU=",
                "uSApkBoofaFpuyVgxv20I+DJJ/66pCuey4NcKX5xn40=",
                "AwGAo9oDBNAbwxIpoR8vGOBHwHxAEGTqBSea+a1Jum0="
              ],
              "entry": "AQEaMDFNOFJNTldHUVNLUTFLOVRLSzFONERTVzcAAAGiMUryFyBw1uckaFYR50ctNdJtxIRJBlWURsP1lBu0Ze4gyAP84yAxF1g/NPPNJAI0NM8pEmMz2+bL9/EqVnc2YX7QQD7PsQAAAFcHQ0FTQ0FERQAAAAMAAwZldS1mcmECRVUAAAABAQZzZy1zaW4CU0cAAAABAAZ1cy1zamMCVVMAAAABAAADAkVVAlNHAlVTAAECQ04AAAEBAAAAAAAAAAA=",
              "treeHead": {
                "logId": "meridian.example/routing-log",
                "treeSize": 5,
                "timestamp": "2026-12-01T11:09:00.015Z",
                "timestampMillis": 1796123340015,
                "rootHash": "faVBi1+4sAN0/os89k6lY8XKI110zrkh18jT7Efe9l4=",
                "keyId": "u91lOGNi0f2DiYbK-Mss58tSCo2hYG1fb1SRK_MXBro",
                "algorithm": "Ed25519",
                "signature": "f2w44w3MqeifU9ltHEcUznQ/x9Qs+Q2UT1B1rwf+xfTbk5B0qLYaNqDUxbLovcAW+bADNoxyNessekQkLob7Dw=="
              }
            }
            """;

    static final String CONSISTENCY = """
            {
              "first": 5,
              "second": 17,
              "proof": [
                "AwGAo9oDBNAbwxIpoR8vGOBHwHxAEGTqBSea+a1Jum0=",
                "NZEaSkDEljmMuncXuFLrBx3c0DQofyaYNadApdvnjA8=",
                "6PmXmcVn1PDqASiJf6tvlP2Q16W0ke2xExMkpLtPsyA=",
                "GW6aistUAANccXskpEX49zryyQGWIGuNWD3ARCGROVE=",
                "43uUukBvI4ok/y8yXyzGR3w0x78/9QLpqsiT9FUSNXY=",
                "YIv+ygsMwJTPNqId1+vEEXe50okhEWoA3Wd4fn6raZw="
              ]
            }
            """;

    static final String KEYS = """
            {
              "keys": [
                {"kty": "OKP", "crv": "Ed25519", "x": "D0qcWyOLqfjwjAQktDjC_4GTpGdc0Hnod4AX-Ei3Hrg",
                 "kid": "u91lOGNi0f2DiYbK-Mss58tSCo2hYG1fb1SRK_MXBro", "alg": "EdDSA", "use": "sig",
                 "firstUsed": "2026-12-01T11:08:29.159Z"}
              ]
            }
            """;

    static final String NOT_YET_SEQUENCED = """
            {
              "type": "https://meridian.example/problems/not-yet-sequenced",
              "title": "Not yet sequenced",
              "status": 404,
              "detail": "The entry of plan 01M8RMNWPMJC9EFD9FJAMW7NM2 is written and waits for its leaf index. Retry after 10 s.",
              "instance": "/api/v1/transparency/proofs/inclusion"
            }
            """;
}
