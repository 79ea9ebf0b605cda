package dev.tenantry.cognito;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Optional;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * The layout of the Cognito provider, checked on its compiled classes (tests excluded).
 *
 * <p>The root package {@code dev.tenantry.cognito} holds the Keycloak entry points only: the user storage provider,
 * its factory and the required action's factory, which wire the sub-packages together. The sub-packages each hold one
 * job: {@code config} (typed settings, console options, server policy, save-time checks), {@code gateway} (the Cognito
 * calls), {@code importer} (a Cognito user becoming a Keycloak user), {@code sync} (bulk synchronization) and
 * {@code mfa} (the MFA step of a sign-in and its required action).
 *
 * <p><b>Keycloak SPI adapters</b> are the classes of this module that implement Keycloak's {@link Provider} or
 * {@link ProviderFactory} (and the classes nested in them). <b>Plain logic</b> is every other class of this module:
 * it may use Keycloak's models and sessions, but it is never itself a provider or factory that Keycloak instantiates,
 * and it never reaches one of ours. Its rules can therefore be unit tested by building it directly, without a
 * factory or a running Keycloak. The packages {@code config}, {@code gateway}, {@code importer} and {@code sync} are
 * plain logic throughout; {@code mfa} is plain logic except its required action ({@code CognitoMfaAction}).
 *
 * <p>The rules: no cycle between the sub-packages; no sub-package depends on the root package (arrows only point
 * down, from the adapters to the logic); plain logic never depends on an adapter; adapters live only in the root
 * package and, for the required action, in {@code mfa}.
 */
@AnalyzeClasses(packages = "dev.tenantry.cognito", importOptions = ImportOption.DoNotIncludeTests.class)
class CognitoArchitectureTest {

    private static final String ROOT = "dev.tenantry.cognito";

    /** Implements a Keycloak SPI (provider or factory), or is nested in a class that does. */
    static final DescribedPredicate<JavaClass> KEYCLOAK_SPI_ADAPTERS =
            DescribedPredicate.describe("are Keycloak SPI adapters of " + ROOT, CognitoArchitectureTest::isAdapter);

    static final DescribedPredicate<JavaClass> PLAIN_LOGIC = DescribedPredicate.describe(
            "are plain logic (classes of " + ROOT + " that are no Keycloak SPI adapter)",
            c -> c.getPackageName().startsWith(ROOT) && !isAdapter(c));

    @ArchTest
    static final ArchRule theSubPackagesFormNoCycle = slices().matching(ROOT + ".(*)..").namingSlices("cognito.$1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noSubPackageReachesBackIntoTheProviderPackage = noClasses()
            .that().resideInAPackage(ROOT + ".*..")
            .should().dependOnClassesThat().resideInAPackage(ROOT)
            .because("the root package wires the sub-packages; an arrow back up would close a cycle through it");

    @ArchTest
    static final ArchRule plainLogicNeverReachesAProviderOrFactory = noClasses()
            .that(PLAIN_LOGIC)
            .should().dependOnClassesThat(KEYCLOAK_SPI_ADAPTERS)
            .because("providers and factories are thin adapters onto plain classes that unit tests build directly");

    @ArchTest
    static final ArchRule providersAndFactoriesLiveOnlyInTheRootPackageAndTheMfaRequiredAction = classes()
            .that(KEYCLOAK_SPI_ADAPTERS)
            .should().resideInAnyPackage(ROOT, ROOT + ".mfa")
            .because("config, gateway, importer and sync are plain logic throughout");

    @ArchTest
    static void theAdaptersAreTheProviderTheFactoriesAndTheRequiredAction(JavaClasses classes) {
        // the rules above are only as good as this predicate: it must find every provider and factory of the module
        assertThat(classes.that(KEYCLOAK_SPI_ADAPTERS).stream().filter(c -> c.getEnclosingClass().isEmpty())
                .map(JavaClass::getName)).containsExactlyInAnyOrder(
                ROOT + ".CognitoUserStorageProvider", ROOT + ".CognitoUserStorageProviderFactory",
                ROOT + ".CognitoMfaActionFactory", ROOT + ".mfa.CognitoMfaAction");
    }

    private static boolean isAdapter(JavaClass javaClass) {
        if (!javaClass.getPackageName().startsWith(ROOT)) {
            return false;
        }
        for (Optional<JavaClass> c = Optional.of(javaClass); c.isPresent(); c = c.get().getEnclosingClass()) {
            if (c.get().isAssignableTo(Provider.class) || c.get().isAssignableTo(ProviderFactory.class)) {
                return true;
            }
        }
        return false;
    }
}
