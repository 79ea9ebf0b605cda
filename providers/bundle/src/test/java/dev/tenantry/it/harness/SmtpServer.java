package dev.tenantry.it.harness;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on a free loopback port that Keycloak's mail sender can deliver to. */
public final class SmtpServer implements AutoCloseable {

    private final GreenMail greenMail;
    private final int port;

    private SmtpServer(GreenMail greenMail, int port) {
        this.greenMail = greenMail;
        this.port = port;
    }

    public static SmtpServer start() {
        int port = Ports.free();
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return new SmtpServer(mail, port);
    }

    public int port() {
        return port;
    }

    /** Realm {@code smtpServer} settings pointing at this server. */
    public java.util.Map<String, String> realmSettings(String from) {
        return java.util.Map.of("host", "127.0.0.1", "port", Integer.toString(port), "from", from,
                "auth", "false", "ssl", "false", "starttls", "false");
    }

    /** Waits until at least {@code count} messages arrived (Keycloak may send asynchronously). */
    public List<MimeMessage> awaitMessages(int count, Duration timeout) {
        greenMail.waitForIncomingEmail(timeout.toMillis(), count);
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    public List<MimeMessage> messagesTo(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equalsIgnoreCase(address));
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }

    public void purge() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
