package org.cartero.smtp.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 section 4.2): a three-digit code, an enhanced status code (RFC 3463)
 * and one or more lines of text.
 *
 * <p>A server that offers ENHANCEDSTATUSCODES puts the enhanced code on every line of every 2xx,
 * 4xx and 5xx reply except the greeting and the reply to EHLO/HELO, and never on a 3xx reply
 * (RFC 2034 section 4); its class must agree with the reply code's first digit. Replies without
 * one are made with {@link #of(int, String)}.
 *
 * <p>Lines never carry CR or LF: a control character in the text (which could only come from
 * echoing client input) is replaced by '?', so a reply can never inject a line of its own.
 *
 * @param code         the reply code, 200 to 559
 * @param enhancedCode "class.subject.detail", or null for a reply without one
 * @param lines        the text lines, without code or enhanced code; at least one
 */
public record Reply(int code, String enhancedCode, List<String> lines) {

    /** RFC 3463 section 2: status-code = class "." subject "." detail, subject and detail 1*3digit. */
    private static final Pattern ENHANCED_CODE = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

    public Reply {
        // RFC 5321 section 4.2: Reply-code = %x32-35 %x30-35 %x30-39
        if (code < 200 || code > 559 || code / 10 % 10 > 5) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        if (enhancedCode != null) {
            if (!ENHANCED_CODE.matcher(enhancedCode).matches()) {
                throw new IllegalArgumentException("not an enhanced status code: " + enhancedCode);
            }
            if (enhancedCode.charAt(0) - '0' != code / 100) {
                throw new IllegalArgumentException("enhanced code " + enhancedCode + " disagrees with reply code " + code);
            }
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply needs at least one line");
        lines = lines.stream().map(Reply::withoutControlCharacters).toList();
    }

    /** A one-line reply with an enhanced status code, e.g. {@code Reply.of(250, "2.1.0", "Sender OK")}. */
    public static Reply of(int code, String enhancedCode, String text) {
        return new Reply(code, enhancedCode, List.of(text));
    }

    /** A multi-line reply with an enhanced status code on each line. */
    public static Reply of(int code, String enhancedCode, List<String> lines) {
        return new Reply(code, enhancedCode, lines);
    }

    /** A one-line reply without an enhanced status code: the greeting, 354 and 334 (RFC 2034 section 4). */
    public static Reply of(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    /** 2xx: the command was accepted. */
    public boolean isPositive() {
        return code < 300;
    }

    /** 3xx: more input is expected (354 after DATA, 334 during AUTH). */
    public boolean isIntermediate() {
        return code / 100 == 3;
    }

    /** 4xx: the command failed for now; the client may try again later. */
    public boolean isTransientFailure() {
        return code / 100 == 4;
    }

    /** 5xx: the command failed for good. */
    public boolean isPermanentFailure() {
        return code / 100 == 5;
    }

    /**
     * True for the replies after which the server closes the connection: 221 (QUIT), 421
     * (RFC 5321 section 3.8) and 521 (a client the server cannot stay in step with).
     */
    public boolean closesConnection() {
        return code == 221 || code == 421 || code == 521;
    }

    /** The text of all lines joined by a space, for logs and bounce messages. */
    public String text() {
        return String.join(" ", lines);
    }

    /**
     * The reply as it goes on the wire: "250-..." for every line but the last, "250 ..." for the
     * last (RFC 5321 section 4.2.1), each ending in CRLF.
     */
    public String wireText() {
        StringBuilder out = new StringBuilder(32 * lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i < lines.size() - 1 ? '-' : ' ');
            String line = lines.get(i);
            if (enhancedCode != null) {
                out.append(enhancedCode);
                if (!line.isEmpty()) out.append(' ');
            }
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    /** Writes {@link #wireText()} in UTF-8 (RFC 6531 allows UTF-8 in replies); does not flush. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(wireText().getBytes(StandardCharsets.UTF_8));
    }

    /** One line as a log shows it: "550 5.1.1 text". */
    @Override
    public String toString() {
        return enhancedCode == null ? code + " " + text() : code + " " + enhancedCode + " " + text();
    }

    private static String withoutControlCharacters(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                StringBuilder clean = new StringBuilder(line);
                for (int j = i; j < clean.length(); j++) {
                    char d = clean.charAt(j);
                    if (d < 0x20 && d != '\t' || d == 0x7f) clean.setCharAt(j, '?');
                }
                return clean.toString();
            }
        }
        return line;
    }
}
