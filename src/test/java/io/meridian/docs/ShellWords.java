package io.meridian.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits one shell command line into words the way bash does for the small subset a README's
 * commands use: blanks between words, single quotes (literal), double quotes (with {@code $NAME}
 * and {@code ${NAME}} expanded and {@code \"}, {@code \\}, {@code \$} unescaped), unquoted
 * {@code $NAME} / {@code ${NAME}}, backslash escapes and {@code #} comments. Anything beyond that
 * (command substitution inside a word, globbing, pipes, redirections) is refused, so that a README
 * command this cannot read fails the test instead of being read differently from bash.
 */
final class ShellWords {

    private ShellWords() {
    }

    static List<String> split(String line, Map<String, String> variables) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
                continue;
            }
            if (c == '#' && word == null) {
                break;
            }
            if ("|&;<>`*?".indexOf(c) >= 0) {
                throw new IllegalArgumentException("unsupported shell syntax '" + c + "' in: " + line);
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote in: " + line);
                }
                word.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word, variables);
            } else if (c == '$') {
                i = variable(line, i, word, variables);
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("trailing backslash in: " + line);
                }
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static int doubleQuoted(String line, int start, StringBuilder word, Map<String, String> variables) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = variable(line, i, word, variables);
            } else if (c == '`') {
                throw new IllegalArgumentException("unsupported command substitution in: " + line);
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated double quote in: " + line);
    }

    /** Expands {@code $NAME} or {@code ${NAME}} at {@code i}; returns the index after it. */
    private static int variable(String line, int i, StringBuilder word, Map<String, String> variables) {
        int start = i + 1;
        boolean braced = start < line.length() && line.charAt(start) == '{';
        if (start < line.length() && line.charAt(start) == '(') {
            throw new IllegalArgumentException("command substitution is only supported as NAME=$(command): " + line);
        }
        int nameStart = braced ? start + 1 : start;
        int end = nameStart;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
            end++;
        }
        if (end == nameStart) {
            word.append('$');
            return start;
        }
        String name = line.substring(nameStart, end);
        String value = variables.get(name);
        if (value == null) {
            throw new IllegalArgumentException("$" + name + " is used before it is set, in: " + line);
        }
        word.append(value);
        if (braced) {
            if (end >= line.length() || line.charAt(end) != '}') {
                throw new IllegalArgumentException("unterminated ${ in: " + line);
            }
            return end + 1;
        }
        return end;
    }
}
