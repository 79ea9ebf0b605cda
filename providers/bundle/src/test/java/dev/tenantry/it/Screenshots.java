package dev.tenantry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Optional documentation screenshots: with {@code -Dtenantry.screenshots.dir=<dir>} and a {@code chromium} on the
 * PATH, a page or mail seen by a test is rendered headless to {@code <dir>/<name>.png} while the test's Keycloak
 * still serves its styles. Without the property nothing happens (never part of a normal run's assertions).
 */
final class Screenshots {

    private Screenshots() {
    }

    static void take(String name, String html, String baseUrl) {
        String dir = System.getProperty("tenantry.screenshots.dir");
        if (dir == null || dir.isBlank() || html == null) {
            return;
        }
        try {
            Path target = Files.createDirectories(Path.of(dir));
            String withBase = html.contains("<head>")
                    ? html.replaceFirst("<head>", "<head><base href=\"" + baseUrl + "/\">")
                    : "<base href=\"" + baseUrl + "/\">" + html;
            Path page = Files.createTempFile("tenantry-" + name, ".html");
            Files.writeString(page, withBase);
            Process chromium = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--window-size=900,760",
                    "--screenshot=" + target.resolve(name + ".png").toAbsolutePath(), page.toUri().toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
            }
            Files.deleteIfExists(page);
        } catch (IOException e) {
            System.err.println("screenshot " + name + " skipped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
