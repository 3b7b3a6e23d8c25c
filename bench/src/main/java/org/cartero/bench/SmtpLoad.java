package org.cartero.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator: sends {@code messages} messages of about 4 KiB over {@code connections}
 * SMTP connections at once, each connection sending one message after another (MAIL, RCPT and
 * DATA pipelined, then the content), to recipients taken in turn from a list. Returns when every
 * message has its 250, with the time that took.
 */
final class SmtpLoad {
    /** A 4 KiB message: a header and lines of 76 characters. */
    static byte[] message(int size) {
        StringBuilder s = new StringBuilder(size);
        s.append("From: load@generator.test\r\nTo: bench@bench.test\r\nSubject: load test message\r\n")
                .append("Message-ID: <load@generator.test>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n");
        String line = "The quick brown fox jumps over the lazy dog, again and again and again.....\r\n";
        while (s.length() + line.length() <= size - 2) s.append(line);
        while (s.length() < size - 2) s.append('x');
        s.append("\r\n");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    record Result(long acceptedNanos, int accepted, int failed) {}

    static Result run(InetSocketAddress server, int messages, int connections, List<String> recipients, byte[] content)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
                    socket.setTcpNoDelay(true);
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
                    expect(in, "220");
                    out.write("EHLO generator.test\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    expect(in, "250");
                    for (int i; (i = next.getAndIncrement()) < messages; ) {
                        String rcpt = recipients.get(i % recipients.size());
                        out.write(("MAIL FROM:<load@generator.test>\r\nRCPT TO:<" + rcpt + ">\r\nDATA\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        boolean ok = reply(in).startsWith("250") & reply(in).startsWith("250");
                        if (!reply(in).startsWith("354")) {
                            failed.incrementAndGet();
                            out.write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            reply(in);
                            continue;
                        }
                        out.write(content);
                        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        if (ok && reply(in).startsWith("250")) accepted.incrementAndGet();
                        else failed.incrementAndGet();
                    }
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    reply(in);
                } catch (IOException e) {
                    System.err.println("connection failed: " + e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        return new Result(System.nanoTime() - start, accepted.get(), failed.get());
    }

    private static void expect(InputStream in, String code) throws IOException {
        String reply = reply(in);
        if (!reply.startsWith(code)) throw new IOException("expected " + code + ", got " + reply);
    }

    /** One reply, multi-line replies read whole; returns its last line. */
    private static String reply(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                line.write(c);
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            if (text.length() < 4 || text.charAt(3) != '-') return text;
        }
    }
}
