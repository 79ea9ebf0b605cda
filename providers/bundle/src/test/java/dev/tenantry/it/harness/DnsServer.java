package dev.tenantry.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny authoritative DNS server on a loopback UDP port that answers TXT questions from a table the tests fill
 * ({@link #txt}); every other name is NXDOMAIN. It stands in for the resolver a server administrator configures for
 * domain verification ({@code --spi-tenantry-endpoint--tenantry-accounts--dns-resolver}). One per test run, started
 * with the Keycloak server, which is pointed at it.
 */
public final class DnsServer implements AutoCloseable {

    private static DnsServer shared;

    private final DatagramSocket socket;
    private final Map<String, List<String>> records = new ConcurrentHashMap<>();
    private final Thread thread;

    private DnsServer(DatagramSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::serve, "dns-server");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The run's server, started on first use. */
    public static synchronized DnsServer shared() {
        if (shared == null) {
            try {
                shared = new DnsServer(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** {@code host:port} for the server option. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Publishes TXT records at {@code name} (replacing earlier ones); no values removes the name. */
    public void txt(String name, String... values) {
        String key = name.toLowerCase(Locale.ROOT);
        if (values.length == 0) {
            records.remove(key);
        } else {
            records.put(key, List.of(values));
        }
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] answer = answer(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] q) {
        if (q.length < 12) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (i < q.length && q[i] != 0) {
            int len = q[i] & 0xFF;
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, i + 1, len, StandardCharsets.US_ASCII));
            i += len + 1;
        }
        int questionEnd = i + 5; // zero byte, type, class
        if (questionEnd > q.length) {
            return null;
        }
        int type = ((q[i + 1] & 0xFF) << 8) | (q[i + 2] & 0xFF);
        List<String> txt = records.get(name.toString().toLowerCase(Locale.ROOT));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        boolean found = txt != null && type == 16;
        out.write(0x84 | (q[2] & 0x01)); // response, authoritative, recursion desired copied
        out.write(txt == null ? 0x03 : 0x00); // NXDOMAIN for unknown names
        out.writeBytes(new byte[] {0, 1, 0, (byte) (found ? txt.size() : 0), 0, 0, 0, 0});
        out.write(q, 12, questionEnd - 12);
        if (found) {
            for (String value : txt) {
                byte[] text = value.getBytes(StandardCharsets.US_ASCII);
                out.writeBytes(new byte[] {(byte) 0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0, 60});
                out.write((text.length + 1) >> 8);
                out.write((text.length + 1) & 0xFF);
                out.write(text.length);
                out.write(text, 0, text.length);
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
    }
}
