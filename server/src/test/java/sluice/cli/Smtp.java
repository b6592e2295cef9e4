package sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Just enough SMTP to hand a node one message (plain text, no TLS). */
final class Smtp {

    private Smtp() {
    }

    /** Sends one message and returns the reply to the final dot. */
    static String send(int port, String from, String to, String subject) throws IOException {
        return sendMessage(port, from, to, "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject
                + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now()) + "\r\nMessage-ID: <" + System.nanoTime() + "@client.example>\r\n\r\nHello.\r\n");
    }

    /** Sends {@code message} (CRLF line ends, no line starting with a dot) and returns the reply to the final dot. */
    static String sendMessage(int port, String from, String to, String message) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO client.example", "250");
            command(out, in, "MAIL FROM:<" + from + ">", "250");
            command(out, in, "RCPT TO:<" + to + ">", "250");
            command(out, in, "DATA", "354");
            out.write((message + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = expect(in, "250");
            command(out, in, "QUIT", "221");
            return reply;
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return expect(in, code);
    }

    /** Reads a (multi-line) reply; fails unless it has the expected code. */
    private static String expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("connection closed");
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) throw new IOException("expected " + code + ", got: " + line);
        return line;
    }
}
