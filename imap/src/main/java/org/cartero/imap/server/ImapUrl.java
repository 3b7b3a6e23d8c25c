package org.cartero.imap.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * An IMAP URL naming a message or a part of one (RFC 5092), as CATENATE (RFC 4469) and URLAUTH
 * (RFC 4467) use them: absolute ({@code imap://user@host/INBOX;UIDVALIDITY=3/;UID=20/;SECTION=1})
 * or relative to this server ({@code /INBOX/;UID=20}), with the URLAUTH parts: ;EXPIRE=,
 * ;URLAUTH=access and the mechanism and token that authorize it.
 *
 * @param user the user of an absolute URL (the mailbox's owner), or null
 * @param host the host of an absolute URL, or null
 * @param mailbox the mailbox name, decoded
 * @param uidValidity the ;UIDVALIDITY, or 0 when not given
 * @param uid the ;UID
 * @param section the ;SECTION (as BODY[section] writes it), or null for the whole message
 * @param partialOffset the first octet of ;PARTIAL, or -1 when not given
 * @param partialLength the octets of ;PARTIAL, or -1 for the rest
 * @param expire the ;EXPIRE time, or null
 * @param access the ;URLAUTH access identifier ("authuser", "anonymous", "user+NAME",
 *     "submit+NAME"), or null for a URL without URLAUTH
 * @param mechanism the authorization mechanism ("INTERNAL"), or null for a URL rump
 * @param token the authorization token, or null
 * @param rump the URL up to and including the access identifier: what the token authorizes
 */
record ImapUrl(String user, String host, String mailbox, long uidValidity, long uid, String section,
               long partialOffset, long partialLength, Instant expire, String access, String mechanism, String token,
               String rump) {

    /**
     * Parses a URL.
     *
     * @throws IllegalArgumentException with the reason, when it is not an IMAP URL of a message
     */
    static ImapUrl parse(String url) {
        String rest;
        String user = null;
        String host = null;
        if (url.regionMatches(true, 0, "imap://", 0, 7)) {
            int slash = url.indexOf('/', 7);
            if (slash < 0) throw new IllegalArgumentException("the URL names no mailbox");
            String authority = url.substring(7, slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                int auth = userInfo.toUpperCase(Locale.ROOT).indexOf(";AUTH=");
                user = decode(auth >= 0 ? userInfo.substring(0, auth) : userInfo);
                authority = authority.substring(at + 1);
            }
            int colon = authority.lastIndexOf(':');
            host = (colon >= 0 ? authority.substring(0, colon) : authority).toLowerCase(Locale.ROOT);
            rest = url.substring(slash + 1);
        } else if (url.startsWith("/")) {
            rest = url.substring(1);
        } else {
            throw new IllegalArgumentException("not an IMAP URL: " + url);
        }
        int semicolon = rest.indexOf(';');
        if (semicolon < 0) throw new IllegalArgumentException("the URL names no message (no ;UID)");
        String mailbox = rest.substring(0, semicolon);
        if (mailbox.endsWith("/")) mailbox = mailbox.substring(0, mailbox.length() - 1);
        if (mailbox.isEmpty()) throw new IllegalArgumentException("the URL names no mailbox");
        mailbox = decode(mailbox);

        long uidValidity = 0;
        long uid = 0;
        String section = null;
        long partialOffset = -1;
        long partialLength = -1;
        Instant expire = null;
        String access = null;
        String mechanism = null;
        String token = null;
        int rumpEnd = url.length();
        int position = url.length() - rest.length() + semicolon;
        for (String parameter : rest.substring(semicolon + 1).split(";", -1)) {
            int start = position + 1;
            position = start + parameter.length();
            String value = parameter.endsWith("/") ? parameter.substring(0, parameter.length() - 1) : parameter;
            int equals = value.indexOf('=');
            if (equals < 0) throw new IllegalArgumentException("\";" + parameter + "\" is not a URL parameter");
            String name = value.substring(0, equals).toUpperCase(Locale.ROOT);
            String argument = value.substring(equals + 1);
            switch (name) {
                case "UIDVALIDITY" -> uidValidity = number(argument);
                case "UID" -> uid = number(argument);
                case "SECTION" -> section = decode(argument);
                case "PARTIAL" -> {
                    int dot = argument.indexOf('.');
                    partialOffset = number(dot < 0 ? argument : argument.substring(0, dot), 0);
                    partialLength = dot < 0 ? -1 : number(argument.substring(dot + 1));
                }
                case "EXPIRE" -> expire = instant(argument);
                case "URLAUTH" -> {
                    String[] parts = argument.split(":", 3);
                    access = decode(parts[0]);
                    rumpEnd = start + "URLAUTH=".length() + parts[0].length();
                    if (parts.length == 3) {
                        mechanism = parts[1].toUpperCase(Locale.ROOT);
                        token = parts[2];
                    } else if (parts.length == 2) {
                        throw new IllegalArgumentException("the URLAUTH mechanism has no token");
                    }
                }
                default -> throw new IllegalArgumentException("unknown URL parameter ;" + name);
            }
        }
        if (uid == 0) throw new IllegalArgumentException("the URL names no message (no ;UID)");
        return new ImapUrl(user, host, mailbox, uidValidity, uid, section, partialOffset, partialLength, expire, access,
                mechanism, token, url.substring(0, rumpEnd));
    }

    /** A percent-encoded UTF-8 string, decoded (RFC 3986 section 2.1). */
    static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) throw new IllegalArgumentException("truncated %-escape in " + encoded);
                int value = Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
                bytes.write(value);
                i += 2;
            } else if (c > 0x7e || c < 0x21) {
                throw new IllegalArgumentException("character 0x" + Integer.toHexString(c) + " must be %-escaped in a URL");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("%-escapes that are not UTF-8 in " + encoded);
        }
    }

    private static long number(String text) {
        return number(text, 1);
    }

    private static long number(String text, long min) {
        try {
            long n = Long.parseLong(text);
            if (n < min || n > 0xffff_ffffL) throw new IllegalArgumentException("number out of range in URL: " + text);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in URL: " + text);
        }
    }

    /** ;EXPIRE= takes an RFC 3339 date-time. */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 date-time in ;EXPIRE=: " + text);
        }
    }
}
