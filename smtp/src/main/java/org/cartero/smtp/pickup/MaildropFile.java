package org.cartero.smtp.pickup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.protocol.Xtext;

/**
 * What {@code cartero sendmail} leaves in the maildrop for the server: a few lines of envelope,
 * an empty line, then the message with CRLF line ends.
 *
 * <pre>
 * CARTERO-MAILDROP 1
 * sender alice@mail.example.test      ("&lt;&gt;" for the null sender)
 * fullname Alice+20Example             (optional: for a From field the message lacks)
 * envid ...                            (optional, sendmail -V)
 * ret HDRS                             (optional, sendmail -R)
 * notify FAILURE,DELAY                 (optional, sendmail -N)
 * rcpt bob@example.test                (one or more)
 *
 * (message)
 * </pre>
 *
 * Values are xtext (RFC 3461 section 4). The file comes from a local user, so the server reads it
 * as untrusted input: every line is checked and a bad file is set aside.
 */
public record MaildropFile(Optional<MailAddress> sender, Optional<String> fullName, Optional<String> envelopeId,
                           Optional<Ret> ret, Set<Notify> notifyOn, List<MailAddress> recipients) {
    static final String MAGIC = "CARTERO-MAILDROP 1";
    private static final int MAX_LINE = 4096;
    private static final int MAX_RECIPIENTS = 10_000;

    public MaildropFile {
        recipients = List.copyOf(recipients);
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
        if (recipients.isEmpty()) throw new IllegalArgumentException("no recipients");
    }

    void writeEnvelope(OutputStream out) throws IOException {
        StringBuilder s = new StringBuilder(MAGIC).append('\n');
        s.append("sender ").append(sender.map(a -> Xtext.encode(a.toString())).orElse("<>")).append('\n');
        fullName.ifPresent(n -> s.append("fullname ").append(Xtext.encode(n)).append('\n'));
        envelopeId.ifPresent(e -> s.append("envid ").append(Xtext.encode(e)).append('\n'));
        ret.ifPresent(r -> s.append("ret ").append(r.name()).append('\n'));
        if (!notifyOn.isEmpty()) {
            s.append("notify ").append(EnumSet.copyOf(notifyOn).stream().map(Enum::name).collect(Collectors.joining(","))).append('\n');
        }
        for (MailAddress r : recipients) s.append("rcpt ").append(Xtext.encode(r.toString())).append('\n');
        s.append('\n');
        out.write(s.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads the envelope; {@code in} is left at the first octet of the message. */
    static MaildropFile read(InputStream in) throws IOException {
        if (!MAGIC.equals(line(in))) throw new IOException("not a maildrop file of this version");
        Optional<MailAddress> sender = null;
        Optional<String> fullName = Optional.empty();
        Optional<String> envid = Optional.empty();
        Optional<Ret> ret = Optional.empty();
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        List<MailAddress> recipients = new ArrayList<>();
        try {
            for (String line; !(line = line(in)).isEmpty(); ) {
                int space = line.indexOf(' ');
                if (space < 0) throw new IOException("expected \"keyword value\": " + line);
                String value = line.substring(space + 1);
                switch (line.substring(0, space)) {
                    case "sender" -> sender = value.equals("<>") ? Optional.empty() : Optional.of(MailAddress.parse(Xtext.decode(value)));
                    case "fullname" -> fullName = Optional.of(Xtext.decode(value));
                    case "envid" -> envid = Optional.of(Xtext.decode(value));
                    case "ret" -> ret = Optional.of(Ret.valueOf(value));
                    case "notify" -> {
                        for (String n : value.split(",")) notify.add(Notify.valueOf(n));
                    }
                    case "rcpt" -> {
                        if (recipients.size() >= MAX_RECIPIENTS) throw new IOException("more than " + MAX_RECIPIENTS + " recipients");
                        recipients.add(MailAddress.parse(Xtext.decode(value)));
                    }
                    default -> throw new IOException("unknown keyword in: " + line);
                }
            }
            if (sender == null) throw new IOException("no sender line");
            return new MaildropFile(sender, fullName, envid, ret, notify, recipients);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad maildrop envelope: " + e.getMessage(), e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder(80);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("the envelope ends early");
            if (s.length() >= MAX_LINE) throw new IOException("envelope line too long");
            s.append((char) c);
        }
        return s.toString();
    }
}
