package org.cartero.smtp.protocol;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.cartero.core.mail.MailAddress;

/**
 * Reads one SMTP command line into a {@link Command} (RFC 5321 section 4.1, with the parameters of
 * RFC 1870, 3030, 3461, 4954, 6152 and 6531), or refuses it with the reply RFC 5321 and RFC 3463
 * give for the fault:
 *
 * <ul>
 *   <li>500 5.5.2: not a command (unknown verb, control characters, bytes that are not UTF-8);
 *   <li>501 5.5.4: a known command with bad arguments or a parameter value of the wrong syntax;
 *   <li>501 5.5.2: an AUTH initial response that is not base64 (RFC 4954 section 4);
 *   <li>501 5.1.7 / 501 5.1.3: a sender / recipient address of bad syntax;
 *   <li>550 5.6.7 / 553 5.6.7: a UTF-8 sender / recipient without SMTPUTF8 (RFC 6531 section 3.5);
 *   <li>555 5.5.4: a MAIL or RCPT parameter that is unknown or belongs to an extension this
 *       server did not offer (RFC 5321 section 4.1.1.11);
 *   <li>502 5.5.1: a command of the standards that Cartero does not implement;
 *   <li>521 5.5.4: a BDAT line without a readable size: the end of its chunk cannot be found, so
 *       the session cannot stay in step and closes (as Postfix does);
 *   <li>521 5.7.0: an HTTP request line: a browser tricked into posting to the SMTP port
 *       (cross-protocol attack), so the session closes before the request body is read as commands.
 * </ul>
 *
 * <p>Verbs and keywords are case-insensitive. Tolerated deviations from the grammar: white space
 * at the end of the line, more than one space after the verb, and spaces after "MAIL FROM:" and
 * "RCPT TO:" (RFC 5321 section 4.1.2 forbids them, but common clients send them).
 *
 * <p>An instance belongs to one session state: it knows the extensions the server offered in its
 * EHLO reply (none after HELO), which decide the parameters it accepts.
 */
public final class CommandParser {

    /** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets, angle brackets included. */
    static final int MAX_PATH_OCTETS = 256;
    /** RFC 3461 section 4.4: ENVID is at most 100 characters. */
    static final int MAX_ENVID_LENGTH = 100;
    /** RFC 4422 section 3.1: sasl-mech = 1*20mech-char. */
    private static final int MAX_MECHANISM_LENGTH = 20;
    /** RFC 3030 leaves the chunk size unbounded; 18 digits always fit in a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 18;

    private final String localDomain;
    private final Set<Extension> offered;

    /**
     * @param localDomain the server's host name, which a bare "&lt;Postmaster&gt;" recipient means
     *                    (RFC 5321 section 4.1.1.3)
     * @param offered     the extensions the server announced to this client
     */
    public CommandParser(String localDomain, Set<Extension> offered) {
        if (!MailAddress.isDomain(localDomain)) throw new IllegalArgumentException("not a domain: " + localDomain);
        this.localDomain = localDomain;
        this.offered = offered.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(offered));
    }

    /**
     * Parses one command line.
     *
     * @param line            the line without its CRLF, decoded as UTF-8 (malformed octets decoded
     *                        as U+FFFD, as {@code new String(bytes, UTF_8)} does, which is refused)
     * @param utf8Transaction whether the current transaction's MAIL carried SMTPUTF8: only then may
     *                        a RCPT address hold UTF-8 (RFC 6531 section 3.4)
     * @throws SmtpException with the reply for the client
     */
    public Command parse(String line, boolean utf8Transaction) throws SmtpException {
        String text = withoutTrailingWhitespace(line);
        checkCharacters(text);
        int space = text.indexOf(' ');
        String verb = asciiUpperCase(space < 0 ? text : text.substring(0, space));
        String argument = space < 0 ? "" : withoutLeadingSpaces(text.substring(space + 1));
        return switch (verb) {
            case "EHLO" -> new Command.Ehlo(hello("EHLO", argument));
            case "HELO" -> new Command.Helo(hello("HELO", argument));
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument, utf8Transaction);
            case "DATA" -> withoutArgument(new Command.Data(), argument);
            case "BDAT" -> bdat(argument);
            case "RSET" -> withoutArgument(new Command.Rset(), argument);
            case "NOOP" -> new Command.Noop(argument);
            case "VRFY" -> {
                String target = requireArgument("VRFY", argument, "user-or-address");
                yield hasSmtputf8Suffix(target)
                        ? new Command.Vrfy(stripSmtputf8Suffix("VRFY", target), true)
                        : new Command.Vrfy(target, false);
            }
            case "EXPN" -> {
                String target = requireArgument("EXPN", argument, "list");
                yield hasSmtputf8Suffix(target)
                        ? new Command.Expn(stripSmtputf8Suffix("EXPN", target), true)
                        : new Command.Expn(target, false);
            }
            case "HELP" -> new Command.Help(argument);
            case "QUIT" -> withoutArgument(new Command.Quit(), argument);
            case "STARTTLS" -> withoutArgument(new Command.StartTls(), argument);
            case "AUTH" -> auth(argument);
            // RFC 5321 appendix F (SEND, SOML, SAML, TURN), RFC 1985, RFC 2645, RFC 4468
            case "SEND", "SOML", "SAML", "TURN", "ETRN", "ATRN", "BURL" ->
                    throw new SmtpException(502, "5.5.1", "Command not implemented");
            case "GET", "HEAD", "POST", "PUT", "CONNECT" ->
                    throw new SmtpException(521, "5.7.0", "This is an SMTP server, not a web proxy: closing");
            default -> throw new SmtpException(500, "5.5.2", "Syntax error, command unrecognized");
        };
    }

    private String hello(String verb, String argument) throws SmtpException {
        String name = requireArgument(verb, argument, "hostname");
        if (name.charAt(0) == '[') {
            if (!isAddressLiteral(name)) {
                throw new SmtpException(501, "5.5.4", verb + " argument is not a valid address literal");
            }
        } else if (!MailAddress.isDomain(name) || !isAscii(name) && !offered.contains(Extension.SMTPUTF8)) {
            throw new SmtpException(501, "5.5.4", "Syntax: " + verb + " hostname (a domain name or address literal)");
        }
        return name;
    }

    private Command.Mail mail(String argument) throws SmtpException {
        String rest = afterPrefix(argument, "FROM:", "Syntax: MAIL FROM:<address> [parameters]");
        int end = endOfPath(rest, Role.SENDER);
        MailParameters parameters = mailParameters(parametersText(rest, end));
        String path = rest.substring(1, end);
        Optional<MailAddress> sender = path.isEmpty()
                ? Optional.empty()
                : Optional.of(mailbox(path, parameters.smtputf8(), Role.SENDER));
        return new Command.Mail(sender, parameters);
    }

    private Command.Rcpt rcpt(String argument, boolean utf8Transaction) throws SmtpException {
        String rest = afterPrefix(argument, "TO:", "Syntax: RCPT TO:<address> [parameters]");
        int end = endOfPath(rest, Role.RECIPIENT);
        RcptParameters parameters = rcptParameters(parametersText(rest, end), utf8Transaction);
        String path = rest.substring(1, end);
        if (path.isEmpty()) throw Role.RECIPIENT.badSyntax("the recipient cannot be empty");
        MailAddress recipient = path.equalsIgnoreCase("Postmaster")
                ? new MailAddress(path, localDomain)
                : mailbox(path, utf8Transaction, Role.RECIPIENT);
        return new Command.Rcpt(recipient, parameters);
    }

    /** "FROM:" or "TO:" in any case, then the spaces some clients put before the path. */
    private static String afterPrefix(String argument, String prefix, String syntax) throws SmtpException {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) throw new SmtpException(501, "5.5.4", syntax);
        return withoutLeadingSpaces(argument.substring(prefix.length()));
    }

    /** The index of the "&gt;" that closes the path at the start of {@code rest}. */
    private static int endOfPath(String rest, Role role) throws SmtpException {
        if (rest.isEmpty() || rest.charAt(0) != '<') throw role.badSyntax("the address must be enclosed in <>");
        boolean quoted = false;
        for (int i = 1; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        throw role.badSyntax("missing > at the end of the address");
    }

    /** What follows the path: nothing, or a space and the parameters. */
    private static String parametersText(String rest, int endOfPath) throws SmtpException {
        String after = rest.substring(endOfPath + 1);
        if (!after.isEmpty() && after.charAt(0) != ' ') {
            throw new SmtpException(501, "5.5.4", "Syntax error: expected a space between the address and the parameters");
        }
        return withoutLeadingSpaces(after);
    }

    /**
     * Reads a Path without its angle brackets (RFC 5321 section 4.1.2): an optional source route,
     * which RFC 5321 section 4.1.1.3 and appendix C say to accept and ignore, and a Mailbox.
     */
    private static MailAddress mailbox(String path, boolean utf8Allowed, Role role) throws SmtpException {
        String mailbox = path;
        if (mailbox.startsWith("@")) {
            int colon = mailbox.indexOf(':');
            if (colon < 0) throw role.badSyntax("source route without \":\"");
            for (String hop : mailbox.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@") || !MailAddress.isDomain(hop.substring(1))) {
                    throw role.badSyntax("invalid source route");
                }
            }
            mailbox = mailbox.substring(colon + 1);
        }
        // the limit applies to the path that is kept: a dropped source route does not count
        if (mailbox.getBytes(StandardCharsets.UTF_8).length + 2 > MAX_PATH_OCTETS) {
            throw role.badSyntax("longer than " + MAX_PATH_OCTETS + " octets");
        }
        MailAddress address;
        try {
            address = MailAddress.parse(mailbox);
        } catch (IllegalArgumentException e) {
            throw role.badSyntax(e.getMessage());
        }
        if (address.domain().startsWith("[") && !isAddressLiteral(address.domain())) {
            throw role.badSyntax("invalid address literal");
        }
        if (address.needsUtf8() && !utf8Allowed) throw role.utf8NotDeclared();
        return address;
    }

    private MailParameters mailParameters(String text) throws SmtpException {
        if (text.isEmpty()) return MailParameters.NONE;
        OptionalLong size = OptionalLong.empty();
        Optional<MailParameters.Body> body = Optional.empty();
        boolean smtputf8 = false;
        Optional<MailParameters.Ret> ret = Optional.empty();
        Optional<String> envelopeId = Optional.empty();
        Optional<String> auth = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (String token : text.split(" +")) {
            Parameter parameter = Parameter.parse(token, seen);
            switch (parameter.keyword()) {
                case "SIZE" -> {
                    parameter.requireOffered(offered, Extension.SIZE);
                    size = OptionalLong.of(parseSize(parameter.value()));
                }
                case "BODY" -> {
                    parameter.requireOffered(offered, Extension.EIGHT_BIT_MIME, Extension.BINARY_MIME);
                    body = Optional.of(parseBody(parameter.value()));
                }
                case "SMTPUTF8" -> {
                    parameter.requireOffered(offered, Extension.SMTPUTF8);
                    parameter.requireNoValue();
                    smtputf8 = true;
                }
                case "RET" -> {
                    parameter.requireOffered(offered, Extension.DSN);
                    ret = Optional.of(switch (asciiUpperCase(parameter.requireValue())) {
                        case "FULL" -> MailParameters.Ret.FULL;
                        case "HDRS" -> MailParameters.Ret.HDRS;
                        default -> throw new SmtpException(501, "5.5.4", "Bad RET parameter: expected FULL or HDRS");
                    });
                }
                case "ENVID" -> {
                    parameter.requireOffered(offered, Extension.DSN);
                    String value = parameter.requireValue();
                    if (value.length() > MAX_ENVID_LENGTH) {
                        throw new SmtpException(501, "5.5.4", "Bad ENVID parameter: longer than " + MAX_ENVID_LENGTH + " characters");
                    }
                    envelopeId = Optional.of(decodeXtext("ENVID", value));
                }
                case "AUTH" -> {
                    parameter.requireOffered(offered, Extension.AUTH);
                    auth = Optional.of(parseAuthSender(parameter.requireValue()));
                }
                default -> throw parameter.unrecognised();
            }
        }
        return new MailParameters(size, body, smtputf8, ret, envelopeId, auth);
    }

    private RcptParameters rcptParameters(String text, boolean utf8Transaction) throws SmtpException {
        if (text.isEmpty()) return RcptParameters.NONE;
        Set<RcptParameters.Notify> notify = EnumSet.noneOf(RcptParameters.Notify.class);
        Optional<OriginalRecipient> originalRecipient = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (String token : text.split(" +")) {
            Parameter parameter = Parameter.parse(token, seen);
            switch (parameter.keyword()) {
                case "NOTIFY" -> {
                    parameter.requireOffered(offered, Extension.DSN);
                    notify = parseNotify(parameter.requireValue());
                }
                case "ORCPT" -> {
                    parameter.requireOffered(offered, Extension.DSN);
                    try {
                        originalRecipient = Optional.of(OriginalRecipient.parse(parameter.requireValue(), utf8Transaction));
                    } catch (IllegalArgumentException e) {
                        throw new SmtpException(501, "5.5.4", "Bad ORCPT parameter: " + e.getMessage());
                    }
                }
                default -> throw parameter.unrecognised();
            }
        }
        return new RcptParameters(notify, originalRecipient);
    }

    /** RFC 1870 section 3: size-value = 1*20DIGIT. A value beyond a long is as good as infinite. */
    private static long parseSize(String value) throws SmtpException {
        if (value == null || value.isEmpty() || value.length() > 20 || !isDigits(value)) {
            throw new SmtpException(501, "5.5.4", "Bad SIZE parameter: expected the message size in octets");
        }
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    }

    /** BODY=7BIT goes with either extension, 8BITMIME (RFC 6152) and BINARYMIME (RFC 3030) with their own. */
    private MailParameters.Body parseBody(String value) throws SmtpException {
        MailParameters.Body body = switch (value == null ? "" : asciiUpperCase(value)) {
            case "7BIT" -> MailParameters.Body.SEVEN_BIT;
            case "8BITMIME" -> MailParameters.Body.EIGHT_BIT_MIME;
            case "BINARYMIME" -> MailParameters.Body.BINARY_MIME;
            default -> throw new SmtpException(501, "5.5.4", "Bad BODY parameter: expected 7BIT, 8BITMIME or BINARYMIME");
        };
        boolean supported = switch (body) {
            case SEVEN_BIT -> true;
            case EIGHT_BIT_MIME -> offered.contains(Extension.EIGHT_BIT_MIME);
            case BINARY_MIME -> offered.contains(Extension.BINARY_MIME);
        };
        if (!supported) throw new SmtpException(555, "5.5.4", "BODY=" + body.keyword() + " not recognized or not implemented");
        return body;
    }

    /** RFC 3461 section 4.1: "NEVER", or a comma-separated list of SUCCESS, FAILURE and DELAY. */
    private static Set<RcptParameters.Notify> parseNotify(String value) throws SmtpException {
        Set<RcptParameters.Notify> notify = EnumSet.noneOf(RcptParameters.Notify.class);
        for (String item : value.split(",", -1)) {
            RcptParameters.Notify parsed = switch (asciiUpperCase(item)) {
                case "NEVER" -> RcptParameters.Notify.NEVER;
                case "SUCCESS" -> RcptParameters.Notify.SUCCESS;
                case "FAILURE" -> RcptParameters.Notify.FAILURE;
                case "DELAY" -> RcptParameters.Notify.DELAY;
                default -> throw new SmtpException(501, "5.5.4", "Bad NOTIFY parameter: expected NEVER, or SUCCESS, FAILURE and DELAY");
            };
            if (!notify.add(parsed)) throw new SmtpException(501, "5.5.4", "Bad NOTIFY parameter: " + parsed + " appears twice");
        }
        if (notify.contains(RcptParameters.Notify.NEVER) && notify.size() > 1) {
            throw new SmtpException(501, "5.5.4", "Bad NOTIFY parameter: NEVER cannot be combined with other values");
        }
        return notify;
    }

    /** RFC 4954 section 5: AUTH=xtext, decoding to "&lt;&gt;" or a mailbox. */
    private static String parseAuthSender(String value) throws SmtpException {
        String sender = decodeXtext("AUTH", value);
        if (!sender.equals("<>")) {
            try {
                MailAddress.parse(sender);
            } catch (IllegalArgumentException e) {
                throw new SmtpException(501, "5.5.4", "Bad AUTH parameter: " + e.getMessage());
            }
        }
        return sender;
    }

    private static String decodeXtext(String keyword, String value) throws SmtpException {
        try {
            return Xtext.decode(value);
        } catch (IllegalArgumentException e) {
            throw new SmtpException(501, "5.5.4", "Bad " + keyword + " parameter: " + e.getMessage());
        }
    }

    /**
     * RFC 3030 section 2: "BDAT" SP chunk-size [SP end-marker], chunk-size = 1*DIGIT, end-marker =
     * "LAST". A line that says no readable size leaves the chunk's end unknown: the octets that
     * follow would be read as commands, so the session must close (521).
     */
    private static Command.Bdat bdat(String argument) throws SmtpException {
        String[] words = argument.split(" +");
        boolean valid = !argument.isEmpty() && words.length <= 2
                && words[0].length() <= MAX_CHUNK_SIZE_DIGITS && isDigits(words[0])
                && (words.length == 1 || words[1].equalsIgnoreCase("LAST"));
        if (!valid) throw new SmtpException(521, "5.5.4", "Syntax: BDAT chunk-size [LAST]; closing, the end of the chunk is unknown");
        return new Command.Bdat(Long.parseLong(words[0]), words.length == 2);
    }

    /** RFC 4954 section 4: "AUTH" SP sasl-mech [SP initial-response]. */
    private static Command.Auth auth(String argument) throws SmtpException {
        String[] words = argument.split(" +");
        String mechanism = words[0];
        boolean validMechanism = !argument.isEmpty() && words.length <= 2 && mechanism.length() <= MAX_MECHANISM_LENGTH
                && mechanism.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                        || c >= '0' && c <= '9' || c == '-' || c == '_');
        if (!validMechanism) throw new SmtpException(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        Optional<String> initialResponse = Optional.empty();
        if (words.length == 2) {
            if (!isBase64(words[1])) throw new SmtpException(501, "5.5.2", "Cannot Base64-decode the initial response");
            initialResponse = Optional.of(words[1]);
        }
        return new Command.Auth(asciiUpperCase(mechanism), initialResponse);
    }

    /** RFC 4954 section 4: initial-response = base64 / "=" (the empty response). */
    private static boolean isBase64(String s) {
        if (s.equals("=")) return true;
        if (s.length() % 4 != 0) return false;
        int padding = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        for (int i = 0; i < s.length() - padding; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) return false;
        }
        return true;
    }

    private boolean hasSmtputf8Suffix(String argument) {
        return offered.contains(Extension.SMTPUTF8)
                && argument.regionMatches(true, argument.length() - " SMTPUTF8".length(), " SMTPUTF8", 0, " SMTPUTF8".length());
    }

    private static String stripSmtputf8Suffix(String verb, String argument) throws SmtpException {
        String target = withoutTrailingWhitespace(argument.substring(0, argument.length() - " SMTPUTF8".length()));
        if (target.isEmpty()) throw new SmtpException(501, "5.5.4", "Syntax: " + verb + " argument [SMTPUTF8]");
        return target;
    }

    private static String requireArgument(String verb, String argument, String what) throws SmtpException {
        if (argument.isEmpty()) throw new SmtpException(501, "5.5.4", "Syntax: " + verb + " " + what);
        return argument;
    }

    private static Command withoutArgument(Command command, String argument) throws SmtpException {
        if (!argument.isEmpty()) throw new SmtpException(501, "5.5.4", "Syntax: " + command.line() + " (no arguments)");
        return command;
    }

    /**
     * RFC 5321 section 4.1.3: an IPv4 literal "[1.2.3.4]" or an IPv6 literal "[IPv6:...]". A
     * General-address-literal needs a tag registered with IANA, and only IPv6 is.
     */
    static boolean isAddressLiteral(String s) {
        if (s.length() < 3 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') return false;
        String inner = s.substring(1, s.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String address = inner.substring(5);
            if (address.indexOf(':') < 0 || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80 || c == ':' || c == '.')) {
                return false;
            }
            try {
                Inet6Address.ofLiteral(address);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return isIpv4(inner);
    }

    /** RFC 5321 section 4.1.3: IPv4-address-literal = Snum 3("." Snum), Snum = 1*3DIGIT of 0 to 255. */
    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !isDigits(part) || Integer.parseInt(part) > 255) return false;
        }
        return true;
    }

    /** Control characters and undecodable octets make a line that is no command at all. */
    private static void checkCharacters(String text) throws SmtpException {
        if (text.isEmpty()) throw new SmtpException(500, "5.5.2", "Syntax error, empty command");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD') throw new SmtpException(500, "5.5.2", "Syntax error, the command is not valid UTF-8");
            if (c < 0x20 || c == 0x7f) throw new SmtpException(500, "5.5.2", "Syntax error, control character in the command");
        }
    }

    private static String withoutTrailingWhitespace(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) end--;
        return line.substring(0, end);
    }

    private static String withoutLeadingSpaces(String s) {
        int start = 0;
        while (start < s.length() && s.charAt(start) == ' ') start++;
        return s.substring(start);
    }

    /** Upper case for ASCII letters only: no other character may turn into one (e.g. U+0131 into "I"). */
    static String asciiUpperCase(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'a' && chars[i] <= 'z') chars[i] -= 'a' - 'A';
        }
        return new String(chars);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** One esmtp-param (RFC 5321 section 4.1.2): esmtp-keyword ["=" esmtp-value]. */
    private record Parameter(String keyword, String value) {

        static Parameter parse(String token, Set<String> seen) throws SmtpException {
            int equals = token.indexOf('=');
            String keyword = equals < 0 ? token : token.substring(0, equals);
            String value = equals < 0 ? null : token.substring(equals + 1);
            // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
            boolean validKeyword = !keyword.isEmpty() && keyword.charAt(0) != '-'
                    && keyword.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-');
            // esmtp-value = 1*(%d33-60 / %d62-126), widened to UTF-8 by RFC 6531 section 3.3
            boolean validValue = value == null || !value.isEmpty() && value.indexOf('=') < 0;
            if (!validKeyword || !validValue) throw new SmtpException(501, "5.5.4", "Syntax error in parameter \"" + token + "\"");
            String upper = asciiUpperCase(keyword);
            if (!seen.add(upper)) throw new SmtpException(501, "5.5.4", "Parameter " + upper + " appears twice");
            return new Parameter(upper, value);
        }

        /** RFC 5321 section 4.1.1.11: 555 for a parameter the server does not know or did not offer. */
        SmtpException unrecognised() {
            return new SmtpException(555, "5.5.4", "Parameter " + keyword + " not recognized or not implemented");
        }

        void requireOffered(Set<Extension> offered, Extension... extensions) throws SmtpException {
            for (Extension extension : extensions) {
                if (offered.contains(extension)) return;
            }
            throw unrecognised();
        }

        String requireValue() throws SmtpException {
            if (value == null) throw new SmtpException(501, "5.5.4", "Parameter " + keyword + " needs a value");
            return value;
        }

        void requireNoValue() throws SmtpException {
            if (value != null) throw new SmtpException(501, "5.5.4", "Parameter " + keyword + " takes no value");
        }
    }

    /** Whose address a path holds: the replies for a bad one differ (RFC 3463 X.1.7 / X.1.3). */
    private enum Role {
        SENDER(550, "5.1.7", "Bad sender address syntax: ", "sender"),
        RECIPIENT(553, "5.1.3", "Bad recipient address syntax: ", "recipient");

        private final int utf8Code;
        private final String syntaxCode;
        private final String syntaxText;
        private final String noun;

        Role(int utf8Code, String syntaxCode, String syntaxText, String noun) {
            this.utf8Code = utf8Code;
            this.syntaxCode = syntaxCode;
            this.syntaxText = syntaxText;
            this.noun = noun;
        }

        SmtpException badSyntax(String reason) {
            return new SmtpException(501, syntaxCode, syntaxText + reason);
        }

        /** RFC 6531 section 3.5: 550 for MAIL, 553 for RCPT, both with X.6.7 (RFC 5248). */
        SmtpException utf8NotDeclared() {
            return new SmtpException(utf8Code, "5.6.7", "Non-ASCII " + noun + " address needs the SMTPUTF8 parameter on MAIL");
        }
    }
}
