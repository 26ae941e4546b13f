package io.meridian;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing core stays a pure function: no framework, no persistence, no web. The capacity ledger
 * is used only through its interface, features use only the features they need, and no feature's
 * SQL names another's tables.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.meridian");
    }

    @Test
    void coreShouldImportNoFramework() {
        assertThat(classes.stream().filter(c -> c.getPackageName().equals("io.meridian.core")).count())
                .as("core classes found").isGreaterThan(5);
        noClasses().that().resideInAPackage("io.meridian.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "jakarta..", "javax..", "org.hibernate..", "io.smallrye..", "io.vertx..",
                        "com.fasterxml..", "io.micrometer..", "org.eclipse.microprofile..", "org.jboss..")
                .because("the engine must be a pure function that tests, benchmarks and simulations can run alone")
                .check(classes);
    }

    @Test
    void integrationAdaptersShouldBeUsedByNoOtherFeature() {
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("io.meridian.integration")).count())
                .as("integration classes found").isGreaterThan(3);
        noClasses().that().resideOutsideOfPackage("io.meridian.integration..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.integration..")
                .because("an adapter for another system's wire format sits at the edge: the service works without it")
                .check(classes);
    }

    @Test
    void integrationKeysShouldNotKnowTheIntegrationsTheyServe() {
        noClasses().that().resideInAPackage("io.meridian.security..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.integration..", "io.meridian.routing..",
                        "io.meridian.records..", "io.meridian.policy..")
                .check(classes);
    }

    @Test
    void coreShouldKnowNoAdapters() {
        noClasses().that().resideInAPackage("io.meridian.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.catalog..", "io.meridian.routing..",
                        "io.meridian.web..")
                .check(classes);
    }

    @Test
    void theConsoleShouldUseOnlyThePublicApiAndNothingShouldUseTheConsole() {
        noClasses().that().resideInAPackage("io.meridian.console..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.core..", "io.meridian.catalog..",
                        "io.meridian.routing..", "io.meridian.policy..", "io.meridian.records..",
                        "io.meridian.reservation..", "io.meridian.simulation..", "io.meridian.ledger..",
                        "io.meridian.meeting..", "io.meridian.integration..")
                .because("the console is a page that calls the public API with the person's token; its Java side "
                        + "only serves files, headers, its settings and the development sign-in")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("io.meridian.console..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.console..")
                .check(classes);
    }

    @Test
    void theLogCoreAndTheVerifierUseOnlyTheJdk() {
        noClasses().that().resideInAnyPackage("io.meridian.transparency.log..", "io.meridian.transparency.verifier..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax.crypto..",
                        "io.meridian.transparency.log..", "io.meridian.transparency.verifier..")
                .because("the verifier jar ships these two packages alone, for customers to run on a bare JDK")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("io.meridian.transparency.verifier..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.transparency.verifier..")
                .because("the verifier is the customer's tool, not a part of the service")
                .check(classes);
    }

    @Test
    void recordsKnowNothingOfTheTransparencyLog() {
        noClasses().that().resideInAPackage("io.meridian.records..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.transparency..")
                .because("the log plugs into the records path through RecordLog; records stay independent of it")
                .check(classes);
    }

    @Test
    void coreShouldUseNothingButItself() {
        classes().that().resideInAPackage("io.meridian.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.meridian.core..", "java..")
                .because("every routing decision is a pure function of its inputs")
                .check(classes);
    }

    /** The ledger's interface: what other packages may name. Everything else in it is package-private. */
    private static final String[] LEDGER_INTERFACE = {"CapacityLedger", "Holds", "CommitObserver", "SiteConditions",
            "Job", "GroupCommit", "Answers", "LiveTransaction", "HoldRequest", "Reservation", "ReservationAttempt",
            "ReservationConfig", "LedgerConfig"};

    @Test
    void theLedgerShouldBeUsedOnlyThroughItsInterface() {
        var internal = resideInAPackage("io.meridian.ledger..").and(not(named(LEDGER_INTERFACE)));
        noClasses().that().resideOutsideOfPackage("io.meridian.ledger..")
                .should().dependOnClassesThat(internal)
                .because("holds are taken, given back and read only through the ledger's interface")
                .check(classes);
        noClasses().that().resideInAPackage("io.meridian.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.catalog..", "io.meridian.routing..",
                        "io.meridian.meeting..", "io.meridian.reservation..", "io.meridian.records..",
                        "io.meridian.policy..", "io.meridian.simulation..", "io.meridian.security..",
                        "io.meridian.idempotency..")
                .because("the ledger knows no feature: they use it, and the catalogue serves it through SiteConditions")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.meridian.policy..", "io.meridian.records..",
                        "io.meridian.simulation..", "io.meridian.security..", "io.meridian.web..", "io.meridian.db..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.ledger..")
                .because("only features that hold capacity (plans, reservations, meetings) or show it (the catalogue) "
                        + "use the ledger")
                .check(classes);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> named(
            String... simpleNames) {
        Set<String> names = Set.of(simpleNames);
        return com.tngtech.archunit.base.DescribedPredicate.describe("one of " + names,
                c -> names.contains(c.getSimpleName()) || c.getEnclosingClass()
                        .map(e -> names.contains(e.getSimpleName())).orElse(false));
    }

    @Test
    void featuresShouldUseOnlyTheFeaturesTheyNeed() {
        noClasses().that().resideInAnyPackage("io.meridian.reservation..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.catalog..", "io.meridian.routing..",
                        "io.meridian.meeting..", "io.meridian.records..", "io.meridian.policy..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.meridian.records..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.catalog..", "io.meridian.routing..",
                        "io.meridian.meeting..", "io.meridian.reservation..", "io.meridian.policy..",
                        "io.meridian.simulation..")
                .because("records are facts others write; they use no feature")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("io.meridian.meeting..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.meeting..")
                .because("live meetings are used through their HTTP interface; nothing else depends on them")
                .check(classes);
        noClasses().that().resideInAPackage("io.meridian.events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.catalog..", "io.meridian.routing..",
                        "io.meridian.meeting..", "io.meridian.reservation..", "io.meridian.policy..",
                        "io.meridian.records..", "io.meridian.ledger..", "io.meridian.core..")
                .because("the event log is written by the features that make changes; it knows none of them")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.meridian.catalog..", "io.meridian.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.routing..", "io.meridian.meeting..",
                        "io.meridian.reservation..", "io.meridian.simulation..")
                .check(classes);
    }

    @Test
    void reroutingShouldKnowNoMeetingAndTheChangesItWatchesShouldNotKnowIt() {
        assertThat(classes.stream().filter(c -> c.getPackageName().equals("io.meridian.rerouting")).count())
                .as("rerouting classes found").isGreaterThan(5);
        noClasses().that().resideInAPackage("io.meridian.rerouting..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meridian.meeting..", "io.meridian.ledger..",
                        "io.meridian.routing..", "io.meridian.reservation..", "io.meridian.records..")
                .because("re-routing decides when and for which change; live meetings move their own rows "
                        + "(through LiveMeetings), under the ledger's locks")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.meridian.policy..", "io.meridian.catalog..", "io.meridian.ledger..",
                        "io.meridian.core..", "io.meridian.events..")
                .should().dependOnClassesThat().resideInAPackage("io.meridian.rerouting..")
                .because("policies and data-center status tell their listeners; they know nothing of moves")
                .check(classes);
    }

    /**
     * Which package's SQL may name which table: no feature reads another's tables. Shared:
     * {@code data_center_state}, whose status and report columns are the catalogue's and whose
     * counters and row lock are the ledger's.
     */
    private static final Map<String, Set<String>> TABLE_OWNERS = Map.ofEntries(
            Map.entry("reservation", Set.of("ledger")),
            Map.entry("reservation_hold", Set.of("ledger")),
            Map.entry("live_holder", Set.of("ledger")),
            Map.entry("live_hold", Set.of("ledger")),
            Map.entry("live_journal", Set.of("ledger")),
            Map.entry("data_center_state", Set.of("ledger", "catalog")),
            Map.entry("meeting", Set.of("meeting")),
            Map.entry("meeting_participant", Set.of("meeting")),
            Map.entry("meeting_site", Set.of("meeting")),
            Map.entry("meeting_event", Set.of("events")),
            Map.entry("meeting_event_sequence", Set.of("events")),
            Map.entry("meeting_event_retention", Set.of("events")),
            Map.entry("idempotent_request", Set.of("idempotency")),
            Map.entry("routing_record_batch", Set.of("records")),
            Map.entry("routing_record_meeting", Set.of("records")),
            Map.entry("region_policy", Set.of("policy")),
            Map.entry("region_policy_change", Set.of("policy")),
            Map.entry("reroute_job", Set.of("rerouting")),
            Map.entry("transparency_entry_batch", Set.of("transparency")),
            Map.entry("transparency_pending_batch", Set.of("transparency")),
            Map.entry("transparency_leaf", Set.of("transparency")),
            Map.entry("transparency_node", Set.of("transparency")),
            Map.entry("transparency_head", Set.of("transparency")));

    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|into|update|join|table)\\s+([a-z_]+)\\b");

    @Test
    void noFeatureShouldReadAnotherFeaturesTables() throws IOException {
        Path root = Path.of("src/main/java/io/meridian");
        List<String> violations = new ArrayList<>();
        int statements = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String feature = root.relativize(file).getName(0).toString();
                Matcher literal = STRING.matcher(Files.readString(file));
                while (literal.find()) {
                    Matcher table = TABLE.matcher(literal.group(1));
                    while (table.find()) {
                        Set<String> owners = TABLE_OWNERS.get(table.group(1).toLowerCase(java.util.Locale.ROOT));
                        if (owners != null) {
                            statements++;
                            if (!owners.contains(feature)) {
                                violations.add(file + ": " + table.group(0));
                            }
                        }
                    }
                }
            }
        }
        assertThat(statements).as("SQL statements found").isGreaterThan(50);
        assertThat(violations).as("SQL on another feature's tables").isEmpty();
    }
}
