package org.cartero.smtp.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cartero.core.net.LineInput;

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

    private final LineInput in;
    private final byte[] line = new byte[MAX_LINE_OCTETS];

    /** @param in the connection's input; best a {@link LineInput} or buffered, see {@link LineInput#of} */
    public ReplyReader(InputStream in) {
        this.in = LineInput.of(in);
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
        int length = 0;
        while (length == 0 || line[length - 1] != '\n') {
            if (length == MAX_LINE_OCTETS) throw new ProtocolException("reply line longer than " + MAX_LINE_OCTETS + " octets");
            int n = in.readLinePart(line, length, MAX_LINE_OCTETS - length);
            if (n < 0) throw new EOFException("the server closed the connection in the middle of a reply");
            length += n;
        }
        length--; // the LF
        if (length > 0 && line[length - 1] == '\r') length--;
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"";
    }
}
