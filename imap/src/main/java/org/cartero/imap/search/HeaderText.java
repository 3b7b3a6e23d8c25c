package org.cartero.imap.search;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * Header field values as a reader sees them, the form SEARCH matches: raw octets read as UTF-8
 * when they are (RFC 6532), else as ISO-8859-1; RFC 2047 encoded words decoded in any charset
 * Java knows; and for Content-Type and Content-Disposition, the RFC 2231 parameters (charset,
 * language, continuations) decoded too.
 */
final class HeaderText {

    private HeaderText() {
    }

    /** Header octets as text: UTF-8 when they decode as such (RFC 6532 section 3.2), otherwise ISO-8859-1. */
    static String fromBytes(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
                } catch (CharacterCodingException e) {
                    return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
                }
            }
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * An unfolded field value as text: encoded words (RFC 2047) decoded, outer white space
     * removed. Null stays null.
     */
    static String decode(String value) {
        if (value == null) return null;
        String stripped = value.strip();
        return stripped.contains("=?") ? DecoderUtil.decodeEncodedWords(stripped, DecodeMonitor.SILENT) : stripped;
    }

    /** A field value for searching: decoded, and for the MIME fields with parameters, those decoded too. */
    static String searchable(String name, String value) {
        String decoded = decode(value);
        if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Disposition")) {
            String parameters = rfc2231Parameters(name, decoded);
            if (!parameters.isEmpty()) return decoded + " " + parameters;
        }
        return decoded;
    }

    /** Runs of white space (tabs, line breaks) as one space, outer white space removed. */
    static String compressWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = !out.isEmpty();
            } else {
                if (space) out.append(' ');
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The RFC 2231 parameters of a Content-Type or Content-Disposition value, decoded and joined
     * as {@code name=value} pairs separated by "; " (empty when the value has none): "name*"
     * carries charset'language'percent-encoded octets, "name*0", "name*1*"... are continuations.
     */
    static String rfc2231Parameters(String fieldName, String value) {
        if (!value.contains("*=")) return "";
        List<NameValuePair> pairs = RawFieldParser.DEFAULT.parseRawBody(new RawField(fieldName, value)).getParams();
        Map<String, TreeMap<Integer, NameValuePair>> sections = new TreeMap<>();
        for (NameValuePair pair : pairs) {
            String name = pair.getName().toLowerCase(Locale.ROOT);
            int star = name.indexOf('*');
            if (star <= 0 || pair.getValue() == null) continue;
            String section = name.substring(star + 1);
            if (section.endsWith("*")) section = section.substring(0, section.length() - 1);
            int number;
            try {
                number = section.isEmpty() ? 0 : Integer.parseInt(section);
            } catch (NumberFormatException e) {
                continue;
            }
            sections.computeIfAbsent(name.substring(0, star), k -> new TreeMap<>()).putIfAbsent(number, pair);
        }
        List<String> decoded = new ArrayList<>();
        sections.forEach((name, parts) -> decoded.add(name + "=" + joinSections(parts)));
        return String.join("; ", decoded);
    }

    /** RFC 2231 sections 3 and 4: the sections in order, the encoded ones percent-decoded in the first one's charset. */
    private static String joinSections(TreeMap<Integer, NameValuePair> sections) {
        Charset charset = StandardCharsets.UTF_8;
        ByteArrayOutputStream octets = new ByteArrayOutputStream();
        boolean first = true;
        for (NameValuePair pair : sections.values()) {
            String text = pair.getValue();
            boolean encoded = pair.getName().endsWith("*");
            if (encoded && first) {
                int quote = text.indexOf('\'');
                int second = quote < 0 ? -1 : text.indexOf('\'', quote + 1);
                if (second > 0) {
                    charset = charset(text.substring(0, quote));
                    text = text.substring(second + 1);
                }
            }
            first = false;
            if (encoded) {
                percentDecode(text, octets);
            } else {
                octets.writeBytes(text.getBytes(charset));
            }
        }
        return new String(octets.toByteArray(), charset);
    }

    private static void percentDecode(String text, ByteArrayOutputStream out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** The charset of that name, UTF-8 when Java does not know it (or it is empty). */
    static Charset charset(String name) {
        if (name == null || name.isBlank()) return StandardCharsets.UTF_8;
        try {
            return Charset.forName(name.strip());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
