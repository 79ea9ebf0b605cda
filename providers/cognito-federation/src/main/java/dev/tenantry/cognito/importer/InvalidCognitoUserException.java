package dev.tenantry.cognito.importer;

/** A Cognito user Keycloak refuses to import, with a reason that names no attribute value. */
final class InvalidCognitoUserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidCognitoUserException(String username, String reason) {
        super("Cognito user '" + printable(username) + "' not imported: " + reason);
    }

    private static String printable(String username) {
        if (username == null) {
            return "(none)";
        }
        String clean = username.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
