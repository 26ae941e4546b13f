package io.meridian.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The walk-through of a Markdown page: the fenced blocks between {@code <!-- walkthrough -->} and
 * {@code <!-- /walkthrough -->}. Every {@code bash} block there is a step; a step whose commands
 * include a request ({@code curl}) must have exactly one, and the next fenced block ({@code json}
 * for the body curl prints, {@code http} for {@code curl -i}: status line, headers shown, body) is
 * the answer the page shows for it.
 */
record Walkthrough(Path page, List<Step> steps) {

    static final String START = "<!-- walkthrough -->";
    static final String END = "<!-- /walkthrough -->";

    /** One bash block: its logical command lines (continuations joined) and the answer shown after it. */
    record Step(int line, List<String> commands, Optional<Shown> answer) {

        boolean requests() {
            return commands.stream().anyMatch(c -> c.startsWith("curl "));
        }
    }

    /** An answer as the page shows it: {@code json} (a body) or {@code http} (status line, headers, body). */
    record Shown(String kind, String text, int line) {
    }

    private record Block(String language, String text, int line) {
    }

    static Walkthrough read(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        int start = lines.indexOf(START);
        int end = lines.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalStateException(page + " has no " + START + " ... " + END + " section");
        }
        List<Block> blocks = blocks(lines, start + 1, end);
        List<Step> steps = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            if (!block.language().equals("bash")) {
                throw new IllegalStateException(page + ":" + block.line() + ": a ```" + block.language()
                        + " block that does not follow a request");
            }
            List<String> commands = commands(block.text());
            long requests = commands.stream().filter(c -> c.startsWith("curl ")).count();
            Optional<Shown> answer = Optional.empty();
            if (requests > 1) {
                throw new IllegalStateException(page + ":" + block.line() + ": one request per block, so that "
                        + "each answer shown belongs to one request");
            }
            if (requests == 1) {
                Block next = b + 1 < blocks.size() ? blocks.get(b + 1) : null;
                if (next == null || !(next.language().equals("json") || next.language().equals("http"))) {
                    throw new IllegalStateException(page + ":" + block.line() + ": a request without its answer "
                            + "(a ```json or ```http block right after it)");
                }
                answer = Optional.of(new Shown(next.language(), next.text(), next.line()));
                b++;
            }
            steps.add(new Step(block.line(), commands, answer));
        }
        return new Walkthrough(page, steps);
    }

    private static List<Block> blocks(List<String> lines, int from, int to) {
        List<Block> blocks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                String language = line.substring(3).strip();
                StringBuilder text = new StringBuilder();
                int opened = i;
                for (i++; i < to && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                if (i >= to) {
                    throw new IllegalStateException("unclosed ``` block at line " + (opened + 1));
                }
                blocks.add(new Block(language, text.toString(), opened + 1));
            }
        }
        return blocks;
    }

    /**
     * The block's commands: a line break ends one unless it is escaped ({@code \} at the end of the
     * line: joined) or inside quotes (kept, as in a multi-line {@code -d '{...}'}); blank lines and
     * {@code #} comments are dropped.
     */
    static List<String> commands(String text) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                }
            } else if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                current.append(' ');
                i++;
            } else if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == '\n') {
                add(commands, current);
            } else if (c == '#' && (current.isEmpty() || Character.isWhitespace(current.charAt(current.length() - 1)))) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else {
                if (c == '\'' || c == '"') {
                    quote = c;
                }
                current.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalStateException("unterminated quote in: " + current);
        }
        add(commands, current);
        return commands;
    }

    private static void add(List<String> commands, StringBuilder current) {
        String command = current.toString().strip();
        current.setLength(0);
        if (!command.isEmpty()) {
            commands.add(command);
        }
    }
}
