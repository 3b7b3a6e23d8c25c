package org.cartero.pop3.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads one command line (without its CRLF) into a {@link Command}, or refuses it with the
 * "-ERR" response that names the fault. Keywords are case-insensitive (RFC 1939 section 3);
 * arguments are separated by single spaces, though runs of spaces and spaces at the end of the
 * line are tolerated, as common clients send them. USER and PASS take the rest of the line as
 * their argument: RFC 1939 section 7 lets a password hold spaces.
 *
 * <p>APOP (RFC 1939 section 7) is refused as not implemented: it needs the password stored in
 * the clear, and Cartero keeps only hashes (and PAM never reveals one). The greeting carries no
 * APOP timestamp, which tells clients not to try it.
 */
public final class CommandParser {
    /** RFC 4422 section 3.1: sasl-mech = 1*20mech-char. */
    private static final int MAX_MECHANISM_LENGTH = 20;

    private CommandParser() {}

    public static Command parse(String line) throws Pop3Exception {
        int space = line.indexOf(' ');
        String keyword = asciiUpperCase(space < 0 ? line : line.substring(0, space));
        String rest = space < 0 ? "" : line.substring(space + 1);
        return switch (keyword) {
            case "USER" -> new Command.User(required(rest, "USER needs a user name"));
            case "PASS" -> {
                if (space < 0) throw new Pop3Exception("PASS needs a password");
                yield new Command.Pass(rest);
            }
            case "QUIT" -> noArguments(keyword, rest, new Command.Quit());
            case "STAT" -> noArguments(keyword, rest, new Command.Stat());
            case "NOOP" -> noArguments(keyword, rest, new Command.Noop());
            case "RSET" -> noArguments(keyword, rest, new Command.Rset());
            case "CAPA" -> noArguments(keyword, rest, new Command.Capa());
            case "STLS" -> noArguments(keyword, rest, new Command.Stls());
            case "UTF8" -> noArguments(keyword, rest, new Command.Utf8());
            case "LIST" -> new Command.List(optionalMessage(keyword, rest));
            case "UIDL" -> new Command.Uidl(optionalMessage(keyword, rest));
            case "RETR" -> new Command.Retr(message(keyword, arguments(keyword, rest, 1)[0]));
            case "DELE" -> new Command.Dele(message(keyword, arguments(keyword, rest, 1)[0]));
            case "TOP" -> {
                String[] args = arguments(keyword, rest, 2);
                yield new Command.Top(message(keyword, args[0]), number(args[1], "TOP needs a number of lines"));
            }
            case "AUTH" -> auth(rest);
            case "APOP" -> throw new Pop3Exception("APOP is not supported: use USER and PASS, or AUTH");
            case "" -> throw new Pop3Exception("empty command");
            default -> throw new Pop3Exception("unknown command");
        };
    }

    private static Command auth(String rest) throws Pop3Exception {
        String[] args = words(rest);
        if (args.length == 0) return new Command.Auth(null, null);
        if (args.length > 2) throw new Pop3Exception("AUTH takes a mechanism and at most an initial response");
        String mechanism = asciiUpperCase(args[0]);
        if (mechanism.length() > MAX_MECHANISM_LENGTH || !mechanism.chars().allMatch(CommandParser::isMechanismChar)) {
            throw new Pop3Exception("not a SASL mechanism name");
        }
        return new Command.Auth(mechanism, args.length == 2 ? SaslCodec.decodeInitialResponse(args[1]) : null);
    }

    /** RFC 4422 section 3.1: mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE. */
    private static boolean isMechanismChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static String required(String argument, String problem) throws Pop3Exception {
        if (argument.isEmpty()) throw new Pop3Exception(problem);
        return argument;
    }

    private static Command noArguments(String keyword, String rest, Command command) throws Pop3Exception {
        if (!rest.isBlank()) throw new Pop3Exception(keyword + " takes no arguments");
        return command;
    }

    private static OptionalLong optionalMessage(String keyword, String rest) throws Pop3Exception {
        String[] args = words(rest);
        if (args.length > 1) throw new Pop3Exception(keyword + " takes at most a message number");
        return args.length == 0 ? OptionalLong.empty() : OptionalLong.of(message(keyword, args[0]));
    }

    private static String[] arguments(String keyword, String rest, int count) throws Pop3Exception {
        String[] args = words(rest);
        if (args.length != count) {
            throw new Pop3Exception(keyword + (count == 1 ? " needs a message number" : " needs a message number and a number of lines"));
        }
        return args;
    }

    private static long message(String keyword, String text) throws Pop3Exception {
        return number(text, keyword + " needs a message number");
    }

    /**
     * A non-negative decimal number; huge ones saturate (they name no message and mean "all
     * lines"): read as "no such message", not as a syntax error.
     */
    private static long number(String text, String problem) throws Pop3Exception {
        if (text.isEmpty()) throw new Pop3Exception(problem);
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new Pop3Exception(problem);
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }

    /** The space-separated words of {@code rest}, without surrounding white space; runs of spaces count as one. */
    private static String[] words(String rest) {
        String trimmed = rest.strip();
        List<String> words = new ArrayList<>(2);
        int i = 0;
        while (i < trimmed.length()) {
            if (trimmed.charAt(i) == ' ') {
                i++;
                continue;
            }
            int end = trimmed.indexOf(' ', i);
            if (end < 0) end = trimmed.length();
            words.add(trimmed.substring(i, end));
            i = end;
        }
        return words.toArray(String[]::new);
    }

    /** Upper case for ASCII letters only: a Turkish locale must not turn "uidl" into "UİDL". */
    private static String asciiUpperCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return out.toString();
    }
}
