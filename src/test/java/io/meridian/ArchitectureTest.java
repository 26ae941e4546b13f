package io.meridian;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The routing core stays a pure function: no framework, no persistence, no web. */
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
}
