package org.cartero.smtp.pickup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.queue.QueueId;
import org.cartero.store.mime.Address;
import org.cartero.store.mime.AddressParser;

/**
 * The sendmail-compatible entry (what cron, mail(1), PHP's mail() and scripts run as
 * {@code /usr/sbin/sendmail}): reads a message on standard input and leaves it, with its
 * envelope, in the queue's maildrop directory, where the running server picks it up (or the
 * next one to start). The file is fsync'd before the command exits 0, so a message handed over
 * is not lost.
 *
 * <p>Understood, as in Sendmail and Postfix: {@code -t} (recipients from To, Cc and Bcc, which
 * are added to those on the command line; Bcc is removed), {@code -i} and {@code -oi} (a line
 * with a lone "." is data, not the end), {@code -f}/{@code -r} (the envelope sender; "&lt;&gt;"
 * for none), {@code -F} (full name, for a From field the message lacks), {@code -N}, {@code -R},
 * {@code -V} (DSN: NOTIFY, RET, ENVID), {@code -bm} (send, the default), {@code -bp} (list the
 * queue), {@code -bi} (rebuild aliases: nothing to do), {@code -q} (flush the queue),
 * {@code -C} (configuration file). {@code -B}, {@code -v} and the other {@code -o} options are
 * accepted and ignored. {@code -bs} (SMTP on standard input) is not offered.
 */
public final class Sendmail {
    /** The most header octets {@code -t} reads to find the recipients. */
    private static final int MAX_HEADER = 1 << 20;

    private Sendmail() {}

    /** What the command line asks for. */
    public enum Mode { SEND, LIST_QUEUE, REBUILD_ALIASES, FLUSH_QUEUE }

    /**
     * @param sender the -f/-r value as given: "" or "&lt;&gt;" for the null sender
     */
    public record Arguments(Mode mode, boolean recipientsFromHeader, boolean dotsAreData, Optional<String> sender,
                            Optional<String> fullName, Optional<Ret> ret, Optional<String> envelopeId,
                            Set<Notify> notifyOn, Optional<Path> config, List<String> recipients) {}

    /** A command line sendmail does not understand; the message says why (exit code 64, EX_USAGE). */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static Arguments parse(List<String> args) throws UsageException {
        Mode mode = Mode.SEND;
        boolean fromHeader = false;
        boolean dots = false;
        Optional<String> sender = Optional.empty();
        Optional<String> fullName = Optional.empty();
        Optional<Ret> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        Optional<Path> config = Optional.empty();
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                recipients.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.length() < 2) {
                recipients.add(arg);
                continue;
            }
            char option = arg.charAt(1);
            String attached = arg.substring(2);
            switch (option) {
                case 't' -> {
                    requireBare(arg);
                    fromHeader = true;
                }
                case 'i' -> {
                    requireBare(arg);
                    dots = true;
                }
                case 'v' -> requireBare(arg);
                case 'o' -> {
                    // -oi as -i; -oem, -odi, -oQ... are about Sendmail's own delivery: nothing to do.
                    if (attached.isEmpty()) throw new UsageException("-o needs an option letter");
                    if (attached.equals("i")) dots = true;
                }
                case 'f', 'r' -> {
                    String value = attached.isEmpty() ? next(args, ++i, arg) : attached;
                    sender = Optional.of(value);
                }
                case 'F' -> fullName = Optional.of(attached.isEmpty() ? next(args, ++i, arg) : attached);
                case 'B' -> {
                    String body = attached.isEmpty() ? next(args, ++i, arg) : attached;
                    if (!body.equalsIgnoreCase("7BIT") && !body.equalsIgnoreCase("8BITMIME")) {
                        throw new UsageException("-B takes 7BIT or 8BITMIME, not " + body);
                    }
                }
                case 'N' -> notify = parseNotify(attached.isEmpty() ? next(args, ++i, arg) : attached);
                case 'R' -> {
                    String value = (attached.isEmpty() ? next(args, ++i, arg) : attached).toUpperCase(Locale.ROOT);
                    if (!value.equals("FULL") && !value.equals("HDRS")) throw new UsageException("-R takes full or hdrs");
                    ret = Optional.of(Ret.valueOf(value));
                }
                case 'V' -> envid = Optional.of(attached.isEmpty() ? next(args, ++i, arg) : attached);
                case 'C' -> config = Optional.of(Path.of(attached.isEmpty() ? next(args, ++i, arg) : attached));
                case 'q' -> mode = Mode.FLUSH_QUEUE;
                case 'b' -> mode = switch (attached) {
                    case "m" -> Mode.SEND;
                    case "p" -> Mode.LIST_QUEUE;
                    case "i" -> Mode.REBUILD_ALIASES;
                    case "s" -> throw new UsageException("-bs (SMTP on standard input) is not offered: submit on port 587 instead");
                    default -> throw new UsageException("unknown mode " + arg);
                };
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        return new Arguments(mode, fromHeader, dots, sender, fullName, ret, envid, notify, config, recipients);
    }

    private static void requireBare(String arg) throws UsageException {
        if (arg.length() != 2) throw new UsageException("unknown option " + arg);
    }

    private static String next(List<String> args, int index, String option) throws UsageException {
        if (index >= args.size()) throw new UsageException(option + " needs a value");
        return args.get(index);
    }

    /** sendmail -N: "never", or a comma-separated list of success, failure, delay. */
    private static Set<Notify> parseNotify(String value) throws UsageException {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        for (String item : value.split(",")) {
            try {
                notify.add(Notify.valueOf(item.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("-N takes never, or success, failure and delay, not " + item);
            }
        }
        if (notify.contains(Notify.NEVER) && notify.size() > 1) throw new UsageException("-N never stands alone");
        return notify;
    }

    /**
     * Reads the message from {@code in} and leaves it in {@code maildrop}.
     *
     * @param hostname the domain of local names without one (the invoking user's address, "root")
     * @param user     the invoking user's name, the sender when -f is not given
     * @return the name of the maildrop file
     * @throws UsageException when there is no recipient or the sender is no address
     */
    public static String submit(Arguments arguments, InputStream in, Path maildrop, String hostname, String user)
            throws IOException, UsageException {
        Optional<MailAddress> sender = sender(arguments.sender(), hostname, user);
        List<MailAddress> recipients = new ArrayList<>();
        for (String r : arguments.recipients()) {
            for (String part : r.split(",")) {
                if (!part.isBlank()) recipients.add(address(part.strip(), hostname));
            }
        }
        LineReader lines = new LineReader(new BufferedInputStream(in), arguments.dotsAreData());
        List<byte[]> header = new ArrayList<>();
        if (arguments.recipientsFromHeader()) {
            header = readHeader(lines);
            recipients.addAll(headerRecipients(header, hostname));
            header = withoutBcc(header);
        }
        if (recipients.isEmpty()) throw new UsageException("no recipient addresses found");
        MaildropFile envelope = new MaildropFile(sender, arguments.fullName(), arguments.envelopeId(), arguments.ret(),
                arguments.notifyOn(), recipients);

        String name = QueueId.next();
        Path tmp = maildrop.resolve("." + name);
        try {
            try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                envelope.writeEnvelope(out);
                for (byte[] line : header) writeLine(out, line);
                for (byte[] line; (line = lines.next()) != null; ) writeLine(out, line);
                out.flush();
                channel.force(false);
            }
            Files.move(tmp, maildrop.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory(maildrop);
        return name;
    }

    private static Optional<MailAddress> sender(Optional<String> given, String hostname, String user) throws UsageException {
        if (given.isEmpty()) return Optional.of(address(user, hostname));
        String value = given.get().strip();
        if (value.startsWith("<") && value.endsWith(">")) value = value.substring(1, value.length() - 1);
        return value.isEmpty() ? Optional.empty() : Optional.of(address(value, hostname));
    }

    /** An address as scripts write it: a bare user name means that user here. */
    private static MailAddress address(String text, String hostname) throws UsageException {
        String value = text.startsWith("<") && text.endsWith(">") ? text.substring(1, text.length() - 1) : text;
        try {
            return value.indexOf('@') < 0 ? MailAddress.parse(value + "@" + hostname) : MailAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("not an address: " + text + " (" + e.getMessage() + ")");
        }
    }

    /** The header lines (without line ends), up to the empty line, which is put back as data. */
    private static List<byte[]> readHeader(LineReader lines) throws IOException, UsageException {
        List<byte[]> header = new ArrayList<>();
        long size = 0;
        for (byte[] line; (line = lines.next()) != null; ) {
            if (line.length == 0) {
                lines.pushBack(line);
                break;
            }
            size += line.length;
            if (size > MAX_HEADER) throw new UsageException("the message header is larger than " + MAX_HEADER + " octets");
            header.add(line);
        }
        return header;
    }

    /** The addresses of the To, Cc and Bcc fields (folded lines joined). */
    private static List<MailAddress> headerRecipients(List<byte[]> header, String hostname) throws UsageException {
        List<MailAddress> found = new ArrayList<>();
        for (String field : fields(header)) {
            int colon = field.indexOf(':');
            if (colon < 0) continue;
            String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!name.equals("to") && !name.equals("cc") && !name.equals("bcc")) continue;
            for (Address a : AddressParser.parse(field.substring(colon + 1))) {
                if (a.isGroupStart() || a.isGroupEnd() || a.mailbox() == null) continue;
                found.add(address(a.address(), hostname));
            }
        }
        return found;
    }

    /** The header fields, each with its continuation lines joined. */
    private static List<String> fields(List<byte[]> header) {
        List<String> fields = new ArrayList<>();
        for (byte[] line : header) {
            String text = new String(line, StandardCharsets.UTF_8);
            if (!fields.isEmpty() && !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t')) {
                fields.set(fields.size() - 1, fields.getLast() + text);
            } else {
                fields.add(text);
            }
        }
        return fields;
    }

    /** The header without its Bcc field (which would tell every recipient who else got the message). */
    private static List<byte[]> withoutBcc(List<byte[]> header) {
        List<byte[]> kept = new ArrayList<>();
        boolean inBcc = false;
        for (byte[] line : header) {
            boolean continuation = line.length > 0 && (line[0] == ' ' || line[0] == '\t');
            if (!continuation) {
                String start = new String(line, 0, Math.min(line.length, 4), StandardCharsets.US_ASCII);
                inBcc = start.regionMatches(true, 0, "bcc:", 0, 4);
            }
            if (!inBcc) kept.add(line);
        }
        return kept;
    }

    private static void writeLine(OutputStream out, byte[] line) throws IOException {
        out.write(line);
        out.write('\r');
        out.write('\n');
    }

    /**
     * Makes the new name durable. The maildrop lets users create files but not read the
     * directory (mode 1733), and opening a directory to sync it needs read access: a user who
     * is not root relies on the file's own fsync (as Postfix's postdrop does).
     */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (AccessDeniedException e) {
            // see above
        }
    }

    /** Lines of standard input without their LF or CRLF; a lone "." ends the input unless dots are data. */
    private static final class LineReader {
        private final InputStream in;
        private final boolean dotsAreData;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private byte[] pushedBack;
        private boolean ended;

        LineReader(InputStream in, boolean dotsAreData) {
            this.in = in;
            this.dotsAreData = dotsAreData;
        }

        byte[] next() throws IOException {
            if (pushedBack != null) {
                byte[] back = pushedBack;
                pushedBack = null;
                return back;
            }
            if (ended) return null;
            line.reset();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') line.write(c);
            if (c < 0 && line.size() == 0) {
                ended = true;
                return null;
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') bytes = Arrays.copyOf(bytes, bytes.length - 1);
            if (!dotsAreData && bytes.length == 1 && bytes[0] == '.') {
                ended = true;
                return null;
            }
            return bytes;
        }

        void pushBack(byte[] back) {
            pushedBack = back;
        }
    }
}
