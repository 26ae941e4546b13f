package io.meridian.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte for byte on a socket: clients such as RestAssured and curl normalise what
 * they send (they encode URIs, refuse bad headers, set Content-Length), so the HTTP layer's own
 * answers are only reached this way.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** Sends the bytes and reads until the server closes the connection or {@code waitMillis} pass. */
    static String exchange(URL server, byte[] request, int waitMillis) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(waitMillis);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return readAll(socket.getInputStream());
        }
    }

    static String exchange(URL server, String request) throws IOException {
        return exchange(server, request.getBytes(StandardCharsets.ISO_8859_1), 5_000);
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            got.write("<still open>".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // reset by the server after its answer
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** The status code of a raw answer, or -1. */
    static int status(String answer) {
        if (!answer.startsWith("HTTP/") || answer.length() < 12) {
            return -1;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** The body of a raw answer (after the blank line). */
    static String body(String answer) {
        int at = answer.indexOf("\r\n\r\n");
        return at < 0 ? "" : answer.substring(at + 4);
    }
}
