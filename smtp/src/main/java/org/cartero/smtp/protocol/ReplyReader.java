package org.cartero.smtp.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's replies, for Cartero's SMTP client (RFC 5321 section 4.2): the lines of one
 * reply ("250-..." then "250 ..."), checked to carry one code, with the enhanced status code
 * (RFC 3463) taken from the front of the text when it agrees with the reply code.
 *
 * <p>A server that breaks the grammar gets a {@link ProtocolException}; one that closes the
 * connection mid-reply an {@link EOFException}. Lines and replies are bounded, so a hostile
 * server cannot make the client hold without end. A bare LF is taken as a line end.
 */
public final class ReplyReader {

    /** Octets of a reply line with its CRLF: RFC 5321 section 4.5.3.1.5 allows 512, servers overstep it. */
    static final int MAX_LINE_OCTETS = 4096;
    static final int MAX_LINES = 1000;

    /** RFC 3463 section 2, at the start of the text and followed by a space or nothing. */
    private static final Pattern ENHANCED_CODE = Pattern.compile("([245])\\.[0-9]{1,3}\\.[0-9]{1,3}(?= |$)");

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

    /** @param in the connection's input; best buffered, it is read one octet at a time */
    public ReplyReader(InputStream in) {
        this.in = Objects.requireNonNull(in);
    }

    /** Reads the next complete reply. */
    public Reply read() throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            if (texts.size() == MAX_LINES) throw new ProtocolException("reply longer than " + MAX_LINES + " lines");
            String text = readLine();
            int lineCode = replyCode(text);
            if (code >= 0 && lineCode != code) {
                throw new ProtocolException("reply lines with different codes: " + code + " and " + lineCode);
            }
            code = lineCode;
            boolean last = text.length() == 3 || text.charAt(3) == ' ';
            if (!last && text.charAt(3) != '-') throw new ProtocolException("malformed reply line: " + quote(text));
            texts.add(text.length() > 4 ? text.substring(4) : "");
            if (last) break;
        }
        Matcher matcher = ENHANCED_CODE.matcher(texts.getFirst());
        if (!matcher.lookingAt() || matcher.group(1).charAt(0) - '0' != code / 100) return new Reply(code, null, texts);
        String enhanced = matcher.group();
        List<String> stripped = texts.stream().map(t -> t.startsWith(enhanced) && ENHANCED_CODE.matcher(t).lookingAt()
                ? t.substring(enhanced.length()).stripLeading() : t).toList();
        return new Reply(code, enhanced, stripped);
    }

    /** Reply-code = %x32-35 %x30-35 %x30-39 */
    private static int replyCode(String text) throws ProtocolException {
        if (text.length() < 3 || text.charAt(0) < '2' || text.charAt(0) > '5' || text.charAt(1) < '0' || text.charAt(1) > '5'
                || text.charAt(2) < '0' || text.charAt(2) > '9') {
            throw new ProtocolException("malformed reply line: " + quote(text));
        }
        return Integer.parseInt(text, 0, 3, 10);
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("the server closed the connection in the middle of a reply");
            if (c == '\n') break;
            if (line.size() == MAX_LINE_OCTETS - 1) throw new ProtocolException("reply line longer than " + MAX_LINE_OCTETS + " octets");
            line.write(c);
        }
        byte[] octets = line.toByteArray();
        int length = octets.length > 0 && octets[octets.length - 1] == '\r' ? octets.length - 1 : octets.length;
        return new String(octets, 0, length, StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"";
    }
}
