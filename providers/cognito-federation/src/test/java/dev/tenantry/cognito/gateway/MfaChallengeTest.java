package dev.tenantry.cognito.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.cognito.config.CognitoConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cognito's MFA challenges as the gateway reads and answers them (how the login keeps them: {@code PendingMfaTest}). */
class MfaChallengeTest extends CognitoStubTest {

    private static SdkCognitoGateway gateway(String clientSecret) {
        return gatewayWith(clientSecret == null ? Map.of() : Map.of(CognitoConfig.CLIENT_SECRET, clientSecret));
    }

    @Test
    void smsChallengeKeepsSessionUsernameAndMaskedDestination() {
        answers("AdminInitiateAuth", 200, "{\"ChallengeName\":\"SMS_MFA\",\"Session\":\"cognito-session-1\","
                + "\"ChallengeParameters\":{\"CODE_DELIVERY_DESTINATION\":\"+*******0199\",\"USER_ID_FOR_SRP\":\"real-name\"}}");
        try (SdkCognitoGateway gateway = gateway(null)) {
            SignIn signIn = gateway.signIn("alias@example.com", "pw");

            assertThat(signIn.result()).isEqualTo(AuthResult.MFA_REQUIRED);
            assertThat(signIn.challenge()).isEqualTo(new MfaChallenge("SMS_MFA", "cognito-session-1", "real-name",
                    List.of(), "+*******0199"));
            assertThat(signIn.challenge().toString()).doesNotContain("cognito-session-1");
        }
    }

    @Test
    void selectMfaTypeOffersOnlyKnownFactorsAndMfaSetupIsItsOwnOutcome() {
        answers("AdminInitiateAuth", 200, "{\"ChallengeName\":\"SELECT_MFA_TYPE\",\"Session\":\"s\","
                + "\"ChallengeParameters\":{\"MFAS_CAN_CHOOSE\":\"[\\\"SMS_MFA\\\",\\\"SOFTWARE_TOKEN_MFA\\\",\\\"WEB_AUTHN\\\"]\"}}");
        try (SdkCognitoGateway gateway = gateway(null)) {
            assertThat(gateway.signIn("u", "pw").challenge().options()).containsExactly("SMS_MFA", "SOFTWARE_TOKEN_MFA");
            answers("AdminInitiateAuth", 200, "{\"ChallengeName\":\"SELECT_MFA_TYPE\",\"Session\":\"s\","
                    + "\"ChallengeParameters\":{\"MFAS_CAN_CHOOSE\":\"[]\"}}");
            SignIn nothing = gateway.signIn("u", "pw");
            assertThat(nothing.result()).isEqualTo(AuthResult.MFA_REQUIRED);
            assertThat(nothing.challenge()).as("nothing to choose: no challenge, the login is refused").isNull();
            answers("AdminInitiateAuth", 200, "{\"ChallengeName\":\"MFA_SETUP\",\"Session\":\"s\"}");
            assertThat(gateway.signIn("u", "pw").result()).isEqualTo(AuthResult.MFA_SETUP);
            answers("AdminInitiateAuth", 200, "{\"ChallengeName\":\"SOFTWARE_TOKEN_MFA\"}");
            assertThat(gateway.signIn("u", "pw").challenge()).as("no session: refused").isNull();
        }
    }

    @Test
    void theCodeGoesBackWithTheSessionAndSecretHashAndCognitosVerdictsMap() {
        MfaChallenge challenge = new MfaChallenge("SOFTWARE_TOKEN_MFA", "cognito-session-2", "carol", List.of(), null);
        try (SdkCognitoGateway gateway = gateway("shh")) {
            answers("AdminRespondToAuthChallenge", 200, "{\"AuthenticationResult\":{\"AccessToken\":\"t\"}}");
            assertThat(gateway.answerMfa(challenge, "123456").outcome()).isEqualTo(MfaAnswer.Outcome.SUCCESS);
            stub.verify(postRequestedFor(urlEqualTo("/"))
                    .withRequestBody(matchingJsonPath("$.Session", equalTo("cognito-session-2")))
                    .withRequestBody(matchingJsonPath("$.ChallengeName", equalTo("SOFTWARE_TOKEN_MFA")))
                    .withRequestBody(matchingJsonPath("$.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE", equalTo("123456")))
                    .withRequestBody(matchingJsonPath("$.ChallengeResponses.USERNAME", equalTo("carol")))
                    .withRequestBody(matchingJsonPath("$.ChallengeResponses.SECRET_HASH",
                            equalTo(SdkCognitoGateway.secretHash("carol", "client1", "shh")))));

            answers("AdminRespondToAuthChallenge", 400, "{\"__type\":\"CodeMismatchException\",\"message\":\"Invalid code\"}");
            assertThat(gateway.answerMfa(challenge, "000000").outcome()).isEqualTo(MfaAnswer.Outcome.WRONG_CODE);
            answers("AdminRespondToAuthChallenge", 400, "{\"__type\":\"ExpiredCodeException\",\"message\":\"expired\"}");
            assertThat(gateway.answerMfa(challenge, "000000").outcome()).isEqualTo(MfaAnswer.Outcome.EXPIRED);
            answers("AdminRespondToAuthChallenge", 400, "{\"__type\":\"NotAuthorizedException\",\"message\":\"Invalid session for the user, session is expired.\"}");
            assertThat(gateway.answerMfa(challenge, "000000").outcome()).isEqualTo(MfaAnswer.Outcome.EXPIRED);
        }
    }

    @Test
    void choosingAFactorTypeYieldsItsCodeChallenge() {
        MfaChallenge select = new MfaChallenge("SELECT_MFA_TYPE", "s1", "dave", List.of("SMS_MFA", "SOFTWARE_TOKEN_MFA"), null);
        answers("AdminRespondToAuthChallenge", 200, "{\"ChallengeName\":\"SMS_MFA\",\"Session\":\"s2\","
                + "\"ChallengeParameters\":{\"CODE_DELIVERY_DESTINATION\":\"+***99\"}}");
        try (SdkCognitoGateway gateway = gateway(null)) {
            MfaAnswer answer = gateway.answerMfa(select, "SMS_MFA");

            assertThat(answer.outcome()).isEqualTo(MfaAnswer.Outcome.NEXT_CHALLENGE);
            assertThat(answer.next()).isEqualTo(new MfaChallenge("SMS_MFA", "s2", "dave", List.of(), "+***99"));
            stub.verify(postRequestedFor(urlEqualTo("/"))
                    .withRequestBody(matchingJsonPath("$.ChallengeResponses.ANSWER", equalTo("SMS_MFA"))));
        }
    }

    @Test
    void anOversizedCognitoSessionIsNoChallenge() {
        assertThat(MfaChallenge.of("SMS_MFA", "x".repeat(MfaChallenge.MAX_SESSION_LENGTH + 1), Map.of(), "u"))
                .as("oversized session refused").isNull();
    }
}
