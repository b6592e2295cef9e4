package sluice.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * DESIGN.md: inside core, arrows follow the data path (receive → route, queue; queue → route,
 * deliver; deliver → mailbox, dns, smtp client); mail and trace are leaves. This keeps it so.
 */
class DataPathDirectionTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("sluice.core");
    }

    @Test
    void mailIsALeaf() {
        noClasses().that().resideInAPackage("sluice.core.mail..")
                .should().dependOnClassesThat().resideInAnyPackage("sluice.core.org..", "sluice.core.receive..",
                        "sluice.core.route..", "sluice.core.queue..", "sluice.core.deliver..", "sluice.core.trace..",
                        "sluice.core.dns..", "sluice.core.mailbox..")
                .check(core);
    }

    @Test
    void traceDependsOnlyOnMail() {
        noClasses().that().resideInAPackage("sluice.core.trace..")
                .should().dependOnClassesThat().resideInAnyPackage("sluice.core.org..", "sluice.core.receive..",
                        "sluice.core.route..", "sluice.core.queue..", "sluice.core.deliver..", "sluice.core.dns..",
                        "sluice.core.mailbox..")
                .check(core);
    }

    @Test
    void nothingDependsOnTheReceivingSide() {
        noClasses().that().resideOutsideOfPackage("sluice.core.receive..")
                .should().dependOnClassesThat().resideInAPackage("sluice.core.receive..")
                .check(core);
    }

    @Test
    void deliveryAndRoutingDoNotReachBackIntoTheQueue() {
        noClasses().that().resideInAnyPackage("sluice.core.deliver..", "sluice.core.route..", "sluice.core.dns..",
                        "sluice.core.mailbox..", "sluice.core.org..")
                .should().dependOnClassesThat().resideInAPackage("sluice.core.queue..")
                .check(core);
    }

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("sluice.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void coreDoesNotUseTheStoreAdminOrServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("sluice.store..", "sluice.admin..",
                "sluice.server..", "sluice.cli..").check(core);
    }
}
