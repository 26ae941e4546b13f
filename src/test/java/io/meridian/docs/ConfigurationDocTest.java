package io.meridian.docs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every {@code meridian.*} setting the service reads, with its
 * default: the keys of every {@code @ConfigMapping} interface and {@code @ConfigProperty} injection
 * under {@code io.meridian}, the default being application.properties' value where it sets one, else
 * the code's. A new setting without a row, a row for a setting that is gone, or a default that
 * differs fails this test and names the key.
 */
class ConfigurationDocTest {

    private static final Path PAGE = Path.of("docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(meridian\\.[^`]+)`\\s*\\|.*\\|([^|]*)\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    static final String UNSET = "unset";

    /** Setting name (map keys as {@code *}) → its default, {@value #UNSET} when it has none. */
    private static final Map<String, String> settings = new TreeMap<>();
    /** Where each setting is declared, for the messages. */
    private static final Map<String, String> declaredIn = new TreeMap<>();

    @BeforeAll
    static void readTheCode() throws Exception {
        Properties application = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            application.load(in);
        }
        Path classes = Path.of("target/classes");
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("io/meridian"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                types.add(Class.forName(name, false, ConfigurationDocTest.class.getClassLoader()));
            }
        }
        for (Class<?> type : types) {
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                Map<String, ConfigMappingInterface.Property> properties =
                        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type, mapping.prefix()));
                properties.forEach((name, property) -> add(name, property.hasDefaultValue()
                        ? property.getDefaultValue() : UNSET, type, application));
            }
            for (AnnotatedElement element : injectionPoints(type)) {
                ConfigProperty property = element.getAnnotation(ConfigProperty.class);
                if (property != null && property.name().startsWith("meridian.")) {
                    add(property.name(), property.defaultValue().equals(ConfigProperty.UNCONFIGURED_VALUE)
                            ? UNSET : property.defaultValue(), type, application);
                }
            }
        }
    }

    private static List<AnnotatedElement> injectionPoints(Class<?> type) {
        List<AnnotatedElement> points = new ArrayList<>(List.of(type.getDeclaredFields()));
        List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
        executables.addAll(List.of(type.getDeclaredMethods()));
        for (Executable executable : executables) {
            for (Parameter parameter : executable.getParameters()) {
                points.add(parameter);
            }
        }
        return points;
    }

    private static void add(String name, String codeDefault, Class<?> type, Properties application) {
        // a list setting ("origins[*]") is documented by its name; its values are comma-separated
        String key = name.replaceAll("\\.\\*(?=\\.|$)", ".*").replaceAll("\\[\\*]$", "");
        settings.put(key, application.getProperty(key, codeDefault));
        declaredIn.merge(key, type.getName(), (a, b) -> a + ", " + b);
    }

    /** The page's rows: setting → the default cell's value (its first `code`, else its text). */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(PAGE)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                String cell = row.group(2).strip();
                Matcher code = CODE.matcher(cell);
                rows.put(row.group(1).replaceAll("<[^>]+>", "*"), code.find() ? code.group(1) : cell);
            }
        }
        return rows;
    }

    @Test
    void everySettingHasARowWithItsDefault() throws IOException {
        assertThat(settings).as("meridian.* settings found in the code").hasSizeGreaterThan(20);
        Map<String, String> rows = documented();
        List<String> problems = new ArrayList<>();
        settings.forEach((key, value) -> {
            String row = rows.get(key);
            if (row == null) {
                problems.add(key + " (default " + value + ", read by " + declaredIn.get(key) + ") has no row in " + PAGE);
            } else if (value.equals(UNSET) ? !row.startsWith(UNSET) : !row.equals(value)) {
                problems.add(key + ": " + PAGE + " says the default is '" + row + "', the code's is '" + value + "'");
            }
        });
        assertThat(problems).as("settings and their defaults").isEmpty();
    }

    @Test
    void everyRowIsASettingTheServiceReads() throws IOException {
        List<String> stale = documented().keySet().stream().filter(key -> !settings.containsKey(key)).toList();
        assertThat(stale).as("rows of " + PAGE + " for settings no code reads").isEmpty();
    }
}
