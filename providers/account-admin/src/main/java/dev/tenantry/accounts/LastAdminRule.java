package dev.tenantry.accounts;

import java.util.Set;

/**
 * An account always keeps an admin: its last admin can be neither removed from the account nor lose the admin role
 * (not even by herself). The caller reads the admins under the account's lock, so two admins demoting each other at
 * the same moment are decided one after the other and the second is refused.
 */
public final class LastAdminRule {

    private LastAdminRule() {
    }

    /**
     * @param admins the account's admins now (user ids), read under the account's lock
     * @param target the member who would be removed or lose the admin role
     * @throws ApiError 409 {@code last_admin} when {@code target} is the only admin left
     */
    public static void check(Set<String> admins, String target) {
        if (admins.contains(target) && admins.size() <= 1) {
            throw ApiError.conflict("last_admin", "this member is the account's last admin: make another member admin"
                    + " first");
        }
    }
}
