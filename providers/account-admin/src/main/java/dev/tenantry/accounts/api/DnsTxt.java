package dev.tenantry.accounts.api;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * TXT lookups through the one DNS server the server administrator configured ({@code dns-resolver}), with the JDK's
 * DNS client: no other resolver is asked, and nothing a realm or account admin sends chooses where the query goes.
 */
final class DnsTxt {

    /** The resolver could not answer (unreachable, timed out, refused). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private DnsTxt() {
    }

    /** The TXT strings at {@code name}; empty if the name or its TXT records do not exist. */
    static List<String> lookup(String resolver, int timeoutMillis, String name) throws Unavailable {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(DirContext.PROVIDER_URL, "dns://" + resolver);
        env.put("com.sun.jndi.dns.timeout.initial", Integer.toString(timeoutMillis));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name + ".", new String[] {"TXT"});
            Attribute txt = attributes.get("TXT");
            List<String> values = new ArrayList<>();
            if (txt != null) {
                NamingEnumeration<?> all = txt.getAll();
                while (all.hasMore()) {
                    values.add(unquote(String.valueOf(all.next())));
                }
            }
            return values;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException e) {
                    // nothing held
                }
            }
        }
    }

    /** JNDI returns a TXT record's strings space-separated, each quoted when it contains a space. */
    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
