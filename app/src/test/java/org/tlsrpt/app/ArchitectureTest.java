package org.tlsrpt.app;

import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrpt.config.Settings;
import org.tlsrpt.storage.QueryRows;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The module layout of CONVENTIONS.md §1 and docs/adr/0012: which module may use which, and no
 * cycles between packages. Every module but {@code bench} (which nothing may use: Maven holds that,
 * as no pom names it) is on this module's test classpath, so the rules see all of them.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.tlsrpt");

  /** The methods of the ClickHouse seam that run a statement. */
  private static final Set<String> STATEMENTS = Set.of("query", "execute", "insert");

  @Test
  void modulesUseOnlyTheModulesBelowThem() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("config")
        .definedBy("org.tlsrpt.config..")
        .layer("parser")
        .definedBy("org.tlsrpt.parser..")
        .layer("storage")
        .definedBy("org.tlsrpt.storage..")
        .layer("ingest")
        .definedBy("org.tlsrpt.ingest..")
        .layer("alerting")
        .definedBy("org.tlsrpt.alerting..")
        .layer("posture")
        .definedBy("org.tlsrpt.posture..")
        .layer("readiness")
        .definedBy("org.tlsrpt.readiness..")
        .layer("web")
        .definedBy("org.tlsrpt.web..")
        .layer("dashboards")
        .definedBy("org.tlsrpt.dashboards..")
        .layer("app")
        .definedBy("org.tlsrpt.app..")
        .layer("testkit")
        .definedBy("org.tlsrpt.testkit..")
        .whereLayer("app")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("web")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("readiness")
        .mayOnlyBeAccessedByLayers("web", "app")
        .whereLayer("posture")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("alerting")
        .mayOnlyBeAccessedByLayers("posture", "app")
        .whereLayer("ingest")
        .mayOnlyBeAccessedByLayers("alerting", "app")
        .whereLayer("storage")
        .mayOnlyBeAccessedByLayers("ingest", "alerting", "posture", "readiness", "web", "app")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("alerting", "posture", "readiness", "app")
        .whereLayer("testkit")
        .mayNotBeAccessedByAnyLayer()
        .because(
            "each module uses only those below it (app on top; the features alerting, posture and"
                + " web beside each other, posture sending through alerting, web serving the verdicts"
                + " of readiness, which reads the stored reports and posture runs through storage"
                + " and needs neither posture nor alerting; then ingest (of which"
                + " alerting uses only the TLS contexts), storage, parser; config for every settings"
                + " record; testkit only in tests): a feature that needs another module's code"
                + " should get it moved down, not reach across")
        .check(CLASSES);
  }

  @Test
  void onlyStorageRunsStatements() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.tlsrpt.storage..")
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a statement run on the ClickHouse seam (query, execute or insert)",
                call ->
                    call.getTargetOwner().isAssignableTo(ClickHouse.class)
                        && STATEMENTS.contains(call.getName())))
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(QueryRows.class)
        .because(
            "storage owns every statement (issue 12): give it a repository method that returns"
                + " typed records, as AlertHistory, PostureHistory and ReportedStsPolicies do;"
                + " SqlOnlyInStorageTest checks the SQL text itself")
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices()
        .matching("org.tlsrpt.(**)")
        .should()
        .beFreeOfCycles()
        .because(
            "a cycle between packages makes them one unit in all but name: move the shared type"
                + " down into the package both use (as parser.rules holds what the parser's stages"
                + " share)")
        .check(CLASSES);
  }

  @Test
  void theParserDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("org.tlsrpt.parser..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.tlsrpt.config..",
            "org.tlsrpt.storage..",
            "org.tlsrpt.ingest..",
            "org.tlsrpt.alerting..",
            "org.tlsrpt.posture..",
            "org.tlsrpt.web..",
            "org.tlsrpt.app..",
            "org.tlsrpt.dashboards..")
        .because("the parser is the bottom layer: move shared code down into it, not up")
        .check(CLASSES);
  }

  @Test
  void theModelKeepsSerialisationOut() {
    noClasses()
        .that()
        .resideInAPackage("org.tlsrpt.parser.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml..", "jakarta..")
        .because("readers and writers own their mappings (CONVENTIONS.md §2)")
        .check(CLASSES);
  }

  @Test
  void theParserDoesNotUseJakartaMailOrDatabind() {
    noClasses()
        .that()
        .resideInAPackage("org.tlsrpt.parser..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta.mail..", "com.fasterxml.jackson.databind..")
        .because("the parser walks MIME itself and streams JSON (docs/adr/0003)")
        .check(CLASSES);
  }

  @Test
  void theSettingsMapIsReadOnlyAtStartUp() {
    DescribedPredicate<JavaCodeUnit> takeTheMap =
        DescribedPredicate.describe(
            "take the settings map",
            u -> u.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(Settings.class)));
    DescribedPredicate<JavaCodeUnit> startUp =
        DescribedPredicate.describe(
            "start-up code: the CLI, app.config, a settings record (one with a static"
                + " from(Settings)), or the start of serve and worker",
            u ->
                u.getOwner().getPackageName().startsWith("org.tlsrpt.config")
                    || u.getOwner().getPackageName().startsWith("org.tlsrpt.app.cli")
                    || u.getOwner().getPackageName().startsWith("org.tlsrpt.app.config")
                    || (u.getOwner().isRecord()
                        && u.getOwner().getMethods().stream()
                            .anyMatch(
                                m ->
                                    m.getName().equals("from")
                                        && m.getModifiers().contains(JavaModifier.STATIC)
                                        && takeTheMap.test(m)))
                    || (u.getName().equals("start")
                        && Set.of("TlsrptServer", "WorkerServer")
                            .contains(u.getOwner().getSimpleName())));
    codeUnits()
        .that(takeTheMap)
        .should(be(startUp))
        .because(
            "CONVENTIONS.md §4: each module's settings record is built once at start-up and handed"
                + " down by constructor; code below start-up takes the record, not the map")
        .check(CLASSES);
    noFields()
        .that()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("org.tlsrpt.config..")
        .should()
        .haveRawType(Settings.class)
        .because("the settings map is read at start-up, not kept")
        .check(CLASSES);
  }
}
