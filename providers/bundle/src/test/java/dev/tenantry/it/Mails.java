package dev.tenantry.it;

import dev.tenantry.it.harness.SmtpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the mails Keycloak sent to one address on the shared GreenMail server. */
final class Mails {

    /** The code stands on a line of its own in the text part (the realm name may contain digits too). */
    private static final Pattern CODE = Pattern.compile("(?m)^\\s*([0-9]{6})\\s*$");

    private Mails() {
    }

    /** Waits until {@code address} has at least {@code count} mails; returns all of them, oldest first. */
    static List<MimeMessage> await(SmtpServer smtp, String address, int count, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        List<MimeMessage> mails = smtp.messagesTo(address);
        while (mails.size() < count && Instant.now().isBefore(end)) {
            sleep(100);
            mails = smtp.messagesTo(address);
        }
        if (mails.size() < count) {
            throw new AssertionError("Expected " + count + " mails to " + address + ", got " + mails.size());
        }
        return mails;
    }

    /** Mails to {@code address} after a grace period in which more could still arrive (for "no mail" checks). */
    static List<MimeMessage> settled(SmtpServer smtp, String address) {
        sleep(1500);
        return smtp.messagesTo(address);
    }

    static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text/plain part (or the whole body when it is not multipart). */
    static String text(MimeMessage mail) {
        return part(mail, "text/plain");
    }

    static String html(MimeMessage mail) {
        return part(mail, "text/html");
    }

    /** The 6-digit code of a sign-in code mail. */
    static String code(MimeMessage mail) {
        Matcher m = CODE.matcher(text(mail));
        if (!m.find()) {
            throw new AssertionError("No code in mail: " + text(mail));
        }
        return m.group(1);
    }

    private static String part(Part part, String type) {
        try {
            if (part.isMimeType(type)) {
                return String.valueOf(part.getContent());
            }
            if (part.getContent() instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart body = multipart.getBodyPart(i);
                    String found = part(body, type);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
