package dev.tenantry.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounded list of device fingerprints (hashes) a user signed in from, most recent first, as stored in the user
 * attribute {@link #ATTRIBUTE}. Plain logic.
 */
public final class KnownDevices {

    public static final String ATTRIBUTE = "tenantry.notify.devices";

    /** The list after a sign-in with {@code device}, and whether that device was new. */
    public record Update(List<String> devices, boolean isNew, boolean firstEver) {
    }

    private KnownDevices() {
    }

    public static Update signIn(List<String> stored, String device, int max) {
        List<String> known = stored == null ? List.of() : stored;
        boolean isNew = !known.contains(device);
        List<String> next = new ArrayList<>(Math.min(max, known.size() + 1));
        next.add(device);
        for (String d : known) {
            if (next.size() >= max) {
                break;
            }
            if (!d.equals(device) && d != null && !d.isBlank()) {
                next.add(d);
            }
        }
        return new Update(List.copyOf(next), isNew, known.isEmpty());
    }
}
