package io.meridian.transparency;

/** OpenAPI examples of the transparency log's answers: real answers of a dev-mode run (docs/transparency.md). */
final class TransparencyExamples {

    private TransparencyExamples() {
    }

    static final String TREE_HEAD = """
            {}
            """;

    static final String INCLUSION = """
            {}
            """;

    static final String CONSISTENCY = """
            {}
            """;

    static final String KEYS = """
            {}
            """;

    static final String NOT_YET_SEQUENCED = """
            {}
            """;
}
