package org.cartero.smtp.protocol;

import java.util.Locale;
import org.cartero.core.mail.MailAddress;

/**
 * The ORCPT= parameter of RCPT (RFC 3461 section 4.2): the recipient address as the original
 * sender gave it, carried along so a delivery status notification can name it.
 *
 * <pre>
 * orcpt-parameter = "ORCPT=" original-recipient-address
 * original-recipient-address = addr-type ";" xtext
 * addr-type = atom
 * </pre>
 *
 * The "utf-8" address type (RFC 6533 section 3) has its own encoding instead of xtext: QCHARs
 * (printable ASCII but "+", "=" and "\") as themselves and every other character as "\x{HEX}";
 * in a transaction under SMTPUTF8 non-ASCII characters may also stand as themselves.
 *
 * @param addressType lower case, e.g. "rfc822" or "utf-8"
 * @param address     decoded
 */
public record OriginalRecipient(String addressType, String address) {

    /** RFC 3461 section 4.2: the parameter value is at most 500 characters long. */
    static final int MAX_LENGTH = 500;

    public static final String RFC822 = "rfc822";
    public static final String UTF_8 = "utf-8";

    public OriginalRecipient {
        addressType = addressType.toLowerCase(Locale.ROOT);
        if (address.isEmpty()) throw new IllegalArgumentException("empty original recipient");
    }

    /**
     * Parses the value of ORCPT= (after the "=").
     *
     * @param utf8 whether the transaction runs under SMTPUTF8, which lets a "utf-8" address hold
     *             non-ASCII characters unescaped (utf-8-addr-unitext)
     * @throws IllegalArgumentException with a reason a client can be shown
     */
    public static OriginalRecipient parse(String value, boolean utf8) {
        if (value.length() > MAX_LENGTH) throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
        int semicolon = value.indexOf(';');
        if (semicolon < 0) throw new IllegalArgumentException("expected addr-type;address");
        String type = value.substring(0, semicolon);
        String encoded = value.substring(semicolon + 1);
        if (type.isEmpty() || !type.chars().allMatch(c -> c < 0x80 && MailAddress.isAtext((char) c))) {
            throw new IllegalArgumentException("invalid address type \"" + type + "\"");
        }
        if (encoded.isEmpty()) throw new IllegalArgumentException("empty address");
        String address = type.equalsIgnoreCase(UTF_8) ? decodeUtf8Address(encoded, utf8) : Xtext.decode(encoded);
        return new OriginalRecipient(type, address);
    }

    /** The parameter value as a client sends it: "rfc822;" + xtext, or "utf-8;" + utf-8-addr-xtext. */
    public String encode() {
        return addressType + ";" + (addressType.equals(UTF_8) ? encodeUtf8Address(address) : Xtext.encode(address));
    }

    /** RFC 6533 utf-8-addr-xtext: the 7-bit form, valid with or without SMTPUTF8. */
    private static String encodeUtf8Address(String address) {
        StringBuilder out = new StringBuilder(address.length() + 8);
        address.codePoints().forEach(cp -> {
            if (isQchar(cp)) {
                out.append((char) cp);
            } else {
                String hex = Integer.toHexString(cp).toUpperCase(Locale.ROOT);
                out.append("\\x{").append(hex.length() < 2 ? "0" + hex : hex).append('}');
            }
        });
        return out.toString();
    }

    /** RFC 6533 utf-8-addr-xtext, and utf-8-addr-unitext when the transaction is under SMTPUTF8. */
    private static String decodeUtf8Address(String encoded, boolean unitext) {
        StringBuilder out = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); ) {
            int cp = encoded.codePointAt(i);
            if (cp == '\\') {
                int close = encoded.indexOf('}', i);
                if (!encoded.startsWith("\\x{", i) || close < 0 || close - i - 3 < 2 || close - i - 3 > 6) {
                    throw new IllegalArgumentException("\"\\\" must start an escape \\x{HEX}");
                }
                int escaped = parseHexPoint(encoded.substring(i + 3, close));
                out.appendCodePoint(escaped);
                i = close + 1;
                continue;
            }
            if (cp >= 0x80 ? !unitext : !isQchar(cp)) {
                throw new IllegalArgumentException("character not allowed in a utf-8 address: " + Xtext.describe(cp)
                        + (cp >= 0x80 ? " (escape it as \\x{HEX} or use SMTPUTF8)" : ""));
            }
            out.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /**
     * The HEXPOINT of an EmbeddedUnicodeChar: a character outside ASCII, or one of the ASCII
     * characters the encoding must escape (SP, "+", "=", "\"). Control characters are refused:
     * the address ends up in a DSN header field.
     */
    private static int parseHexPoint(String hex) {
        int cp = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0 || hex.charAt(i) >= 0x80) throw new IllegalArgumentException("invalid hexadecimal in \\x{" + hex + "}");
            cp = cp << 4 | digit;
        }
        boolean escapable = cp == ' ' || cp == '+' || cp == '=' || cp == '\\'
                || cp >= 0x80 && cp <= Character.MAX_CODE_POINT && !(cp >= 0xd800 && cp <= 0xdfff);
        if (!escapable) throw new IllegalArgumentException("\\x{" + hex + "} is not a character this encoding carries");
        return cp;
    }

    /** RFC 6533 QCHAR: printable ASCII except "+", "=" and "\". */
    private static boolean isQchar(int c) {
        return c >= '!' && c <= '~' && c != '+' && c != '=' && c != '\\';
    }
}
