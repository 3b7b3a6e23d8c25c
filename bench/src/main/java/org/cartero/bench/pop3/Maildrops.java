package org.cartero.bench.pop3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The benchmark's mail: the same messages of a fixed size for every user, written as Maildir
 * files into new/, as a delivery agent leaves them. Both servers get identical copies.
 */
final class Maildrops {
    private Maildrops() {}

    /** Message {@code number} of {@code user}: a plain-text message of exactly {@code size} octets, LF line ends. */
    static byte[] message(String user, int number, int size) {
        String header = "Return-Path: <sender@bench.example>\n"
                + "Delivered-To: " + user + "\n"
                + "From: Bench Sender <sender@bench.example>\n"
                + "To: " + user + "\n"
                + "Subject: benchmark message " + number + "\n"
                + "Date: Thu, 26 Nov 2026 12:00:00 +0000\n"
                + "Message-ID: <" + number + "." + user.replace('@', '.') + "@bench.example>\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n\n";
        byte[] message = new byte[size];
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, message, 0, head.length);
        // Body lines of 72 characters; every tenth starts with a dot, to exercise byte-stuffing.
        int line = 0;
        for (int i = head.length; i < size; ) {
            int end = Math.min(i + 72, size - 1);
            Arrays.fill(message, i, end, (byte) ('a' + (line % 26)));
            if (line % 10 == 0) message[i] = '.';
            message[end] = '\n';
            i = end + 1;
            line++;
        }
        return message;
    }

    /** Writes {@code count} messages into {@code maildir}/new (creating cur, new and tmp). */
    static void write(Path maildir, String user, int count, int size) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) Files.createDirectories(maildir.resolve(sub));
        for (int n = 1; n <= count; n++) {
            // Maildir names: time.unique.host; ascending, so both servers number the messages alike.
            Files.write(maildir.resolve("new").resolve("1700000000.M" + String.format("%06d", n) + "P1.bench"),
                    message(user, n, size));
        }
    }
}
