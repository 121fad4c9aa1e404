package org.wikievents;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The tree tells the flow: source → queue → load → store → web, {@code event} the model every stage
 * shares, {@code cli} the commands that compose the stages; {@code alert} watches the loader and
 * reads the store beside the web, and neither knows the other. Each stage knows only the ones
 * before it; {@code load} writes into the store through its API, as a source writes into its {@code
 * EventSink}. Engines live in their own packages behind one entry class each.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.wikievents");

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("org.wikievents.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void eachStageKnowsOnlyTheStagesBeforeIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("event")
        .definedBy("org.wikievents.event..")
        .layer("source")
        .definedBy("org.wikievents.source..")
        .layer("queue")
        .definedBy("org.wikievents.queue..")
        .layer("store")
        .definedBy("org.wikievents.store")
        .layer("engines")
        .definedBy("org.wikievents.store.duckdb..", "org.wikievents.store.clickhouse..")
        .layer("load")
        .definedBy("org.wikievents.load..")
        .layer("web")
        .definedBy("org.wikievents.web..")
        .layer("alert")
        .definedBy("org.wikievents.alert..")
        .layer("cli")
        .definedBy("org.wikievents.cli..")
        .layer("main")
        .definedBy("org.wikievents")
        .whereLayer("main")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("cli")
        .mayOnlyBeAccessedByLayers("main")
        .whereLayer("web")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("alert")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("load")
        .mayOnlyBeAccessedByLayers("web", "alert", "cli")
        .whereLayer("engines")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("engines", "load", "web", "alert", "cli")
        .whereLayer("queue")
        .mayOnlyBeAccessedByLayers("load", "cli")
        .whereLayer("source")
        .mayOnlyBeAccessedByLayers("queue", "load", "cli")
        .check(MAIN);
  }

  @Test
  void theStoreApiNamesNoEngine() {
    noClasses()
        .that()
        .resideInAPackage("org.wikievents.store")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.wikievents.store.duckdb..", "org.wikievents.store.clickhouse..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("org.wikievents.queue..", "org.wikievents.source..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.wikievents.event.EventParser")
        .check(MAIN);
  }

  @Test
  void duckDbIsReachedOnlyThroughItsEntry() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.wikievents.store.duckdb..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.wikievents.store.duckdb..").and(not(simpleName("DuckDb"))))
        .check(MAIN);
  }

  @Test
  void clickHouseIsReachedOnlyThroughItsEntry() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.wikievents.store.clickhouse..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.wikievents.store.clickhouse..")
                .and(not(simpleName("ClickHouse")))
                .and(not(simpleName("ClickHouseUrl"))))
        .check(MAIN);
  }
}
