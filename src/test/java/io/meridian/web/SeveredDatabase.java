package io.meridian.web;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.h2.tools.Server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A database the test can cut off: an H2 TCP server reached through a proxy in this JVM. Severing
 * closes every proxied connection and refuses new ones, as a PostgreSQL outage does; restoring lets
 * connections through again. (The shared PostgreSQL server is never stopped for a test.)
 */
public class SeveredDatabase implements QuarkusTestResourceLifecycleManager {

    private static volatile boolean severed;
    private static final List<Socket> OPEN = new CopyOnWriteArrayList<>();
    private Server h2;
    private ServerSocket proxy;

    public static void sever() {
        severed = true;
        for (Socket s : OPEN) {
            close(s);
        }
        OPEN.clear();
    }

    public static void restore() {
        severed = false;
    }

    @Override
    public Map<String, String> start() {
        try {
            h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "severed-db-proxy");
            accept.setDaemon(true);
            accept.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:tcp://localhost:" + proxy.getLocalPort()
                        + "/mem:severed;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000",
                "quarkus.datasource.jdbc.acquisition-timeout", "1s",
                "meridian.reservation.cleanup-interval", "1s",
                "meridian.records.cleanup-interval", "1s");
    }

    private void accept() {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                if (severed) {
                    close(client);
                    continue;
                }
                Socket server = new Socket("localhost", h2.getPort());
                OPEN.add(client);
                OPEN.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "severed-db-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (IOException e) {
            // stopping anyway
        }
        h2.stop();
    }
}
