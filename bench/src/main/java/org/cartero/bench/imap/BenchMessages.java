package org.cartero.bench.imap;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * The messages both servers get: made from a seed, so every run and both servers see the same
 * octets. Sizes spread from 1 KB to about 60 KB; one in five is multipart with a base64
 * attachment.
 */
final class BenchMessages {

    private static final String[] WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
            + "incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris")
            .split(" ");

    private BenchMessages() {
    }

    static byte[] message(int number) {
        Random random = new Random(number * 7919L + 17);
        StringBuilder text = new StringBuilder(4096);
        text.append("From: Sender ").append(number % 97).append(" <sender").append(number % 97).append("@example.org>\r\n");
        text.append("To: bench@example.test\r\n");
        text.append("Subject: Message ").append(number).append(' ').append(WORDS[random.nextInt(WORDS.length)]).append("\r\n");
        text.append("Date: ").append(1 + number % 28).append(" Mar 2025 ").append(String.format("%02d:%02d:00", number % 24, number % 60))
                .append(" +0000\r\n");
        text.append("Message-ID: <bench.").append(number).append("@example.org>\r\n");
        text.append("MIME-Version: 1.0\r\n");
        int paragraphs = 1 + (int) Math.min(60, Math.abs(random.nextGaussian() * 8));
        boolean multipart = number % 5 == 0;
        if (multipart) text.append("Content-Type: multipart/mixed; boundary=\"b").append(number).append("\"\r\n\r\n")
                .append("--b").append(number).append("\r\nContent-Type: text/plain; charset=us-ascii\r\n");
        else text.append("Content-Type: text/plain; charset=us-ascii\r\n");
        text.append("\r\n");
        for (int p = 0; p < paragraphs; p++) {
            for (int line = 0; line < 12; line++) {
                for (int w = 0; w < 10; w++) text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                text.append("\r\n");
            }
            text.append("\r\n");
        }
        if (multipart) {
            byte[] attachment = new byte[2048 + random.nextInt(8192)];
            random.nextBytes(attachment);
            text.append("--b").append(number).append("\r\nContent-Type: application/octet-stream\r\n")
                    .append("Content-Transfer-Encoding: base64\r\n\r\n")
                    .append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment))
                    .append("\r\n--b").append(number).append("--\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
