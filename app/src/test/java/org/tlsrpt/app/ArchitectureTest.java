package org.tlsrpt.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency direction of CONVENTIONS.md §1: app → ingest → storage → parser. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.tlsrpt");

  @Test
  void theParserDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("org.tlsrpt.parser..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.tlsrpt.storage..",
            "org.tlsrpt.ingest..",
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
  void lowerModulesDoNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("org.tlsrpt.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.tlsrpt.ingest..", "org.tlsrpt.app..")
        .because("storage sits below ingest and app")
        .allowEmptyShould(true)
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("org.tlsrpt.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.tlsrpt.app..")
        .because("ingest sits below app")
        .allowEmptyShould(true)
        .check(CLASSES);
  }
}
