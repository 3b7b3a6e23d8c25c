package org.cartero.smtp.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.OriginalRecipient;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.protocol.Xtext;
import org.cartero.smtp.queue.DeliveryState.RecipientState;

/**
 * The text form of the queue's files. A message file is the envelope, an empty line, then the
 * content exactly as it will be delivered; a state file holds a {@link DeliveryState}. Every
 * line is a keyword and values separated by single spaces, each value xtext (RFC 3461 section 4),
 * so no value can hold a space or a line break:
 *
 * <pre>
 * CARTERO-QUEUE 1
 * arrival 1764170000123
 * sender alice@example.test
 * envid QQ314159
 * ret HDRS
 * smtputf8
 * body 8BITMIME
 * auth alice
 * client 192.0.2.1
 * helo client.example.test
 * rcpt bob@example.test notify=SUCCESS,FAILURE orcpt=rfc822;bob@example.test local=bob to=bob@example.test
 * rcpt list@example.test remote=carol@elsewhere.test forwarded
 *
 * (content)
 * </pre>
 *
 * Anything else is refused with an {@link IOException} that says where: a queue file is written
 * by Cartero alone, and one it cannot read is set aside rather than guessed at.
 */
final class QueueFileFormat {
    static final String MESSAGE_MAGIC = "CARTERO-QUEUE 1";
    static final String STATE_MAGIC = "CARTERO-STATE 1";
    /** An envelope line longer than this is damage, not data (a path is at most 256 octets). */
    private static final int MAX_LINE = 16 * 1024;

    private QueueFileFormat() {}

    // ---- Message files ----

    /** Writes the envelope and the empty line that ends it. */
    static void writeEnvelope(Envelope e, OutputStream out) throws IOException {
        StringBuilder s = new StringBuilder(256 + 128 * e.recipients().size());
        s.append(MESSAGE_MAGIC).append('\n');
        s.append("arrival ").append(e.arrival().toEpochMilli()).append('\n');
        s.append("sender ").append(e.sender().map(a -> Xtext.encode(a.toString())).orElse("<>")).append('\n');
        e.envelopeId().ifPresent(v -> s.append("envid ").append(Xtext.encode(v)).append('\n'));
        e.ret().ifPresent(v -> s.append("ret ").append(v.name()).append('\n'));
        if (e.smtputf8()) s.append("smtputf8\n");
        e.body().ifPresent(v -> s.append("body ").append(v.keyword()).append('\n'));
        e.authenticatedUser().ifPresent(v -> s.append("auth ").append(Xtext.encode(v)).append('\n'));
        s.append("client ").append(Xtext.encode(e.client())).append('\n');
        e.helo().ifPresent(v -> s.append("helo ").append(Xtext.encode(v)).append('\n'));
        for (Recipient r : e.recipients()) {
            s.append("rcpt ").append(Xtext.encode(r.address().toString()));
            if (!r.notifyOn().isEmpty()) {
                s.append(" notify=").append(EnumSet.copyOf(r.notifyOn()).stream().map(Enum::name).collect(Collectors.joining(",")));
            }
            r.orcpt().ifPresent(o -> s.append(" orcpt=").append(Xtext.encode(o.encode())));
            switch (r.destination()) {
                case Destination.Local l -> s.append(" local=").append(Xtext.encode(l.account()))
                        .append(" to=").append(Xtext.encode(l.address().toString()));
                case Destination.Remote rm -> {
                    s.append(" remote=").append(Xtext.encode(rm.address().toString()));
                    if (rm.forwarded()) s.append(" forwarded");
                }
            }
            s.append('\n');
        }
        s.append('\n');
        out.write(s.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads the envelope of the message file {@code id}; {@code in} is left at the first octet of the content. */
    static Envelope readEnvelope(String id, InputStream in) throws IOException {
        Lines lines = new Lines(in, "message " + id);
        lines.expect(MESSAGE_MAGIC);
        Instant arrival = null;
        Optional<MailAddress> sender = null;
        Optional<String> envid = Optional.empty();
        Optional<Ret> ret = Optional.empty();
        boolean smtputf8 = false;
        Optional<Body> body = Optional.empty();
        Optional<String> auth = Optional.empty();
        String client = null;
        Optional<String> helo = Optional.empty();
        List<Recipient> recipients = new ArrayList<>();
        for (String[] words; (words = lines.next()) != null; ) {
            switch (words[0]) {
                case "arrival" -> arrival = Instant.ofEpochMilli(lines.number(words, 1));
                case "sender" -> sender = lines.value(words, 1).equals("<>")
                        ? Optional.empty() : Optional.of(lines.address(lines.value(words, 1)));
                case "envid" -> envid = Optional.of(lines.value(words, 1));
                case "ret" -> ret = Optional.of(lines.enumValue(Ret.class, words, 1));
                case "smtputf8" -> smtputf8 = true;
                case "body" -> body = Optional.of(switch (lines.raw(words, 1)) {
                    case "7BIT" -> Body.SEVEN_BIT;
                    case "8BITMIME" -> Body.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> Body.BINARY_MIME;
                    default -> throw lines.damaged("unknown body type");
                });
                case "auth" -> auth = Optional.of(lines.value(words, 1));
                case "client" -> client = lines.value(words, 1);
                case "helo" -> helo = Optional.of(lines.value(words, 1));
                case "rcpt" -> recipients.add(recipient(lines, words));
                default -> throw lines.damaged("unknown keyword \"" + words[0] + "\"");
            }
        }
        if (arrival == null || sender == null || client == null || recipients.isEmpty()) {
            throw lines.damaged("the envelope is incomplete");
        }
        try {
            return new Envelope(id, arrival, sender, recipients, envid, ret, smtputf8, body, auth, client, helo);
        } catch (IllegalArgumentException e) {
            throw lines.damaged(e.getMessage());
        }
    }

    private static Recipient recipient(Lines lines, String[] words) throws IOException {
        MailAddress address = lines.address(lines.value(words, 1));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 2; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals < 0) {
                attributes.put(words[i], "");
            } else {
                attributes.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            }
        }
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String notifyText = attributes.get("notify");
        if (notifyText != null) {
            for (String n : notifyText.split(",")) {
                try {
                    notify.add(Notify.valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw lines.damaged("unknown NOTIFY value " + n);
                }
            }
        }
        Optional<OriginalRecipient> orcpt = Optional.empty();
        if (attributes.containsKey("orcpt")) {
            try {
                orcpt = Optional.of(OriginalRecipient.parse(lines.decode(attributes.get("orcpt")), true));
            } catch (IllegalArgumentException e) {
                throw lines.damaged("bad ORCPT: " + e.getMessage());
            }
        }
        Destination destination;
        if (attributes.containsKey("local") && attributes.containsKey("to")) {
            destination = new Destination.Local(lines.decode(attributes.get("local")),
                    lines.address(lines.decode(attributes.get("to"))));
        } else if (attributes.containsKey("remote")) {
            destination = new Destination.Remote(lines.address(lines.decode(attributes.get("remote"))),
                    attributes.containsKey("forwarded"));
        } else {
            throw lines.damaged("a recipient without a destination");
        }
        return new Recipient(address, notify, orcpt, destination);
    }

    // ---- State files ----

    static byte[] encodeState(DeliveryState state) {
        StringBuilder s = new StringBuilder(64 + 96 * state.recipients().size());
        s.append(STATE_MAGIC).append('\n');
        s.append("attempts ").append(state.attempts()).append('\n');
        s.append("next ").append(state.nextAttempt().toEpochMilli()).append('\n');
        if (state.delayWarned()) s.append("warned\n");
        List<RecipientState> recipients = state.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            RecipientState r = recipients.get(i);
            s.append("rcpt ").append(i).append(' ').append(r.status().name().toLowerCase(Locale.ROOT));
            r.lastAttempt().ifPresent(t -> s.append(" at=").append(t.toEpochMilli()));
            r.code().ifPresent(c -> s.append(" code=").append(Xtext.encode(c)));
            r.remoteMta().ifPresent(m -> s.append(" mta=").append(Xtext.encode(m)));
            r.diagnostic().ifPresent(d -> s.append(" diagnostic=").append(Xtext.encode(d)));
            s.append('\n');
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static DeliveryState readState(String id, InputStream in, int recipientCount) throws IOException {
        Lines lines = new Lines(in, "state " + id);
        lines.expect(STATE_MAGIC);
        int attempts = 0;
        Instant next = null;
        boolean warned = false;
        RecipientState[] recipients = new RecipientState[recipientCount];
        for (String[] words; (words = lines.next()) != null; ) {
            switch (words[0]) {
                case "attempts" -> attempts = (int) lines.number(words, 1);
                case "next" -> next = Instant.ofEpochMilli(lines.number(words, 1));
                case "warned" -> warned = true;
                case "rcpt" -> {
                    long index = lines.number(words, 1);
                    if (index >= recipientCount) throw lines.damaged("recipient " + index + " does not exist");
                    recipients[(int) index] = recipientState(lines, words);
                }
                default -> throw lines.damaged("unknown keyword \"" + words[0] + "\"");
            }
        }
        if (next == null) throw lines.damaged("no next attempt");
        for (int i = 0; i < recipientCount; i++) {
            if (recipients[i] == null) throw lines.damaged("recipient " + i + " has no state");
        }
        return new DeliveryState(attempts, next, warned, List.of(recipients));
    }

    private static RecipientState recipientState(Lines lines, String[] words) throws IOException {
        RecipientState.Status status = lines.enumValue(RecipientState.Status.class, words, 2);
        Optional<Instant> at = Optional.empty();
        Optional<String> code = Optional.empty();
        Optional<String> mta = Optional.empty();
        Optional<String> diagnostic = Optional.empty();
        for (int i = 3; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals < 0) throw lines.damaged("expected key=value, got " + words[i]);
            String value = words[i].substring(equals + 1);
            switch (words[i].substring(0, equals)) {
                case "at" -> at = Optional.of(Instant.ofEpochMilli(lines.parseNumber(value)));
                case "code" -> code = Optional.of(lines.decode(value));
                case "mta" -> mta = Optional.of(lines.decode(value));
                case "diagnostic" -> diagnostic = Optional.of(lines.decode(value));
                default -> throw lines.damaged("unknown attribute " + words[i].substring(0, equals));
            }
        }
        return new RecipientState(status, at, code, mta, diagnostic);
    }

    /** Reads the lines of the envelope or state part, octet by octet, so the content after it is not consumed. */
    private static final class Lines {
        private final InputStream in;
        private final String what;
        private int number;

        Lines(InputStream in, String what) {
            this.in = in;
            this.what = what;
        }

        void expect(String magic) throws IOException {
            String line = line();
            if (!magic.equals(line)) throw damaged("not a Cartero queue file of this version");
        }

        /** The words of the next line; null at the empty line (or the end) that closes the part. */
        String[] next() throws IOException {
            String line = line();
            return line == null || line.isEmpty() ? null : line.split(" ");
        }

        private String line() throws IOException {
            number++;
            StringBuilder s = new StringBuilder(80);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) return s.isEmpty() ? null : s.toString();
                if (s.length() >= MAX_LINE) throw damaged("line too long");
                s.append((char) c);
            }
            return s.toString();
        }

        String raw(String[] words, int index) throws IOException {
            if (index >= words.length) throw damaged(words[0] + " needs a value");
            return words[index];
        }

        String value(String[] words, int index) throws IOException {
            return decode(raw(words, index));
        }

        String decode(String xtext) throws IOException {
            try {
                return Xtext.decode(xtext);
            } catch (IllegalArgumentException e) {
                throw damaged(e.getMessage());
            }
        }

        long number(String[] words, int index) throws IOException {
            return parseNumber(raw(words, index));
        }

        long parseNumber(String text) throws IOException {
            try {
                long n = Long.parseLong(text);
                if (n < 0) throw damaged("negative number");
                return n;
            } catch (NumberFormatException e) {
                throw damaged("not a number: " + text);
            }
        }

        MailAddress address(String text) throws IOException {
            try {
                return MailAddress.parse(text);
            } catch (IllegalArgumentException e) {
                throw damaged("bad address: " + e.getMessage());
            }
        }

        <E extends Enum<E>> E enumValue(Class<E> type, String[] words, int index) throws IOException {
            try {
                return Enum.valueOf(type, raw(words, index).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw damaged("unknown value " + words[index]);
            }
        }

        IOException damaged(String problem) {
            return new IOException(what + ", line " + number + ": " + problem);
        }
    }
}
