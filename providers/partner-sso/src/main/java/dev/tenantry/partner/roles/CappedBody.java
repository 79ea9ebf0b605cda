package dev.tenantry.partner.roles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a response body up to a size cap and a deadline; a bigger or slower body is refused, never buffered. */
public final class CappedBody {

    private CappedBody() {
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} value after which reading stops
     */
    public static byte[] read(InputStream in, int maxBytes, long deadlineNanos) throws IOException, RolesApiException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new RolesApiException(RolesApiException.Kind.TOO_LARGE, "response larger than " + maxBytes + " bytes");
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new RolesApiException(RolesApiException.Kind.TIMEOUT, "response not complete within the timeout");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
