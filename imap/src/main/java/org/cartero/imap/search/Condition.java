package org.cartero.imap.search;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.store.Flags;
import org.cartero.store.UidSet;
import org.cartero.store.mime.Address;
import org.cartero.store.mime.Envelope;

/**
 * A search key compiled for one search: its constants resolved ("*", "$", dates in the session's
 * zone, search strings folded) and each node knowing what it costs to test. A message is tested
 * with the data at hand ({@link #test(SearchableMessage, Cost)}): a key that needs dearer data
 * answers {@link Truth#UNKNOWN}, and AND, OR and NOT decide whenever they can without it, their
 * operands tried cheapest first. So "SEEN BODY x" reads no message that is not \Seen.
 */
sealed interface Condition {

    /** What a key needs, from cheapest to dearest. */
    enum Cost {
        /** The sequence number and UID, the session's \Recent and saved result. */
        NUMBERS,
        /** The store's index: flags, size, internal date, MODSEQ. */
        INDEX,
        /** The envelope: address fields, subject, Date. */
        ENVELOPE,
        /** The header, read from the message. */
        HEADER,
        /** The text of the message, read and decoded. */
        BODY
    }

    /** A three-valued answer: whether a message matches, or that dearer data is needed to know. */
    enum Truth {
        TRUE, FALSE, UNKNOWN;

        static Truth of(boolean b) {
            return b ? TRUE : FALSE;
        }

        Truth not() {
            return this == UNKNOWN ? UNKNOWN : of(this == FALSE);
        }
    }

    /** The dearest data this condition may need. */
    Cost cost();

    /** Whether some key of this condition needs exactly this data. */
    boolean needs(Cost cost);

    /** Tests a message with the data up to {@code available}. */
    Truth test(SearchableMessage message, Cost available) throws IOException;

    /** Whether the condition holds a MODSEQ key, which makes the result report a MODSEQ (RFC 7162 section 3.1.5). */
    boolean hasModSeq();

    /** The values a search key is compiled against. */
    record Context(MailboxView view, ZoneId zone, Instant now) {
    }

    /** Compiles a search key. */
    static Condition compile(SearchKey key, Context context) {
        return switch (key) {
            case SearchKey.All _ -> new Constant(true);
            case SearchKey.Messages m when m.set().savedResult() -> new InSet(context.view().savedResult());
            case SearchKey.Messages m when m.uid() -> new Uids(m.set(), context.view().uids().lastUid());
            case SearchKey.Messages m -> new SequenceNumbers(m.set(), context.view().uids().size());
            case SearchKey.Flag f -> flag(f);
            case SearchKey.Text t -> switch (t.field()) {
                case FROM, TO, CC, BCC -> new AddressContains(t.field(), Casemap.fold(t.value()));
                case SUBJECT -> new SubjectContains(Casemap.fold(t.value()));
                case BODY -> new TextContains(false, Casemap.fold(t.value()));
                case TEXT -> new TextContains(true, Casemap.fold(t.value()));
            };
            case SearchKey.Header h -> new HeaderContains(h.name(), Casemap.fold(h.value()));
            case SearchKey.Date d when d.field() == SearchKey.DateField.SENT -> new SentDate(d.comparison(), d.date());
            case SearchKey.Date d -> internalDate(d, context);
            case SearchKey.Size s -> new Size(s.larger(), s.octets());
            case SearchKey.ModSeq m -> new ModSeq(m.modSeq());
            case SearchKey.Age a -> new Age(a.older(), a.seconds(), context.now());
            case SearchKey.Not n -> new Not(compile(n.key(), context));
            case SearchKey.Or o -> new Or(List.of(compile(o.left(), context), compile(o.right(), context)));
            case SearchKey.And a -> new And(a.keys().stream().map(k -> compile(k, context)).toList());
        };
    }

    /**
     * The flag keys: system flags by their bit, \Recent from the session, keywords by name. A
     * backslash name the store cannot hold ("\Foo") is set on no message.
     */
    private static Condition flag(SearchKey.Flag key) {
        String name = key.flag();
        if (name.equalsIgnoreCase("\\Recent")) return new Recent(key.set());
        if (!name.startsWith("\\")) return new Keyword(name, key.set());
        try {
            return new SystemFlag(Flags.systemBit(name), key.set());
        } catch (IllegalArgumentException e) {
            return new Constant(!key.set());
        }
    }

    /**
     * BEFORE, ON and SINCE compare the internal date's day in the session's time zone, the
     * zone its INTERNALDATE is shown in (RFC 9051 section 6.4.4: "disregarding time and timezone").
     */
    private static Condition internalDate(SearchKey.Date key, Context context) {
        long start = key.date().atStartOfDay(context.zone()).toInstant().toEpochMilli();
        long next = key.date().plusDays(1).atStartOfDay(context.zone()).toInstant().toEpochMilli();
        return switch (key.comparison()) {
            case BEFORE -> new InternalDate(Long.MIN_VALUE, start);
            case ON -> new InternalDate(start, next);
            case SINCE -> new InternalDate(start, Long.MAX_VALUE);
        };
    }

    // ---- composite conditions

    record Not(Condition operand) implements Condition {
        public Cost cost() {
            return operand.cost();
        }

        public boolean needs(Cost cost) {
            return operand.needs(cost);
        }

        public Truth test(SearchableMessage message, Cost available) throws IOException {
            return operand.test(message, available).not();
        }

        public boolean hasModSeq() {
            return operand.hasModSeq();
        }
    }

    /**
     * AND or OR: operands are tested cheapest first, and the first that gives the decisive answer
     * (FALSE for AND, TRUE for OR) ends the test; otherwise UNKNOWN if any operand was unknown.
     */
    sealed interface Junction extends Condition {
        List<Condition> operands();

        /** The answer of one operand that decides the whole. */
        Truth decisive();

        default Cost cost() {
            return operands().getLast().cost();
        }

        default boolean needs(Cost cost) {
            return operands().stream().anyMatch(o -> o.needs(cost));
        }

        default Truth test(SearchableMessage message, Cost available) throws IOException {
            Truth result = decisive().not();
            for (Condition operand : operands()) {
                Truth t = operand.test(message, available);
                if (t == decisive()) return t;
                if (t == Truth.UNKNOWN) result = Truth.UNKNOWN;
            }
            return result;
        }

        default boolean hasModSeq() {
            return operands().stream().anyMatch(Condition::hasModSeq);
        }

        private static List<Condition> cheapestFirst(List<Condition> operands) {
            return operands.stream().sorted(Comparator.comparing(Condition::cost)).toList();
        }
    }

    /** Every operand holds. */
    record And(List<Condition> operands) implements Junction {
        public And {
            operands = Junction.cheapestFirst(operands);
        }

        public Truth decisive() {
            return Truth.FALSE;
        }
    }

    /** Some operand holds. */
    record Or(List<Condition> operands) implements Junction {
        public Or {
            operands = Junction.cheapestFirst(operands);
        }

        public Truth decisive() {
            return Truth.TRUE;
        }
    }

    // ---- keys

    /** A key on one kind of data: UNKNOWN until that data is available. */
    sealed interface Leaf extends Condition {
        boolean matches(SearchableMessage message) throws IOException;

        default Truth test(SearchableMessage message, Cost available) throws IOException {
            return cost().compareTo(available) > 0 ? Truth.UNKNOWN : Truth.of(matches(message));
        }

        default boolean needs(Cost cost) {
            return cost() == cost;
        }

        default boolean hasModSeq() {
            return false;
        }
    }

    /** ALL, or a flag no message can have. */
    record Constant(boolean value) implements Leaf {
        public Cost cost() {
            return Cost.NUMBERS;
        }

        public boolean matches(SearchableMessage message) {
            return value;
        }
    }

    /** A sequence set; "*" is the number of messages in the session's view. */
    record SequenceNumbers(SequenceSet set, long largest) implements Leaf {
        public Cost cost() {
            return Cost.NUMBERS;
        }

        public boolean matches(SearchableMessage message) {
            return set.contains(message.sequenceNumber(), largest);
        }
    }

    /** UID with a set; "*" is the highest UID in the session's view. */
    record Uids(SequenceSet set, long largest) implements Leaf {
        public Cost cost() {
            return Cost.NUMBERS;
        }

        public boolean matches(SearchableMessage message) {
            return set.contains(message.uid(), largest);
        }
    }

    /** "$" or "UID $": the messages of the saved result (RFC 5182). */
    record InSet(UidSet uids) implements Leaf {
        public Cost cost() {
            return Cost.NUMBERS;
        }

        public boolean matches(SearchableMessage message) {
            return uids.contains(message.uid());
        }
    }

    /** RECENT, OLD (and NEW, with UNSEEN). */
    record Recent(boolean set) implements Leaf {
        public Cost cost() {
            return Cost.NUMBERS;
        }

        public boolean matches(SearchableMessage message) {
            return message.isRecent() == set;
        }
    }

    /** ANSWERED, DELETED, DRAFT, FLAGGED, SEEN and their UN- forms. */
    record SystemFlag(int bit, boolean set) implements Leaf {
        public Cost cost() {
            return Cost.INDEX;
        }

        public boolean matches(SearchableMessage message) {
            return message.flags().has(bit) == set;
        }
    }

    /** KEYWORD and UNKEYWORD; keywords compare without case. */
    record Keyword(String keyword, boolean set) implements Leaf {
        public Cost cost() {
            return Cost.INDEX;
        }

        public boolean matches(SearchableMessage message) {
            return message.flags().hasKeyword(keyword) == set;
        }
    }

    /** BEFORE, ON, SINCE: the internal date in [from, to), epoch milliseconds. */
    record InternalDate(long from, long to) implements Leaf {
        public Cost cost() {
            return Cost.INDEX;
        }

        public boolean matches(SearchableMessage message) {
            long date = message.internalDate().toEpochMilli();
            return date >= from && date < to;
        }
    }

    /**
     * OLDER and YOUNGER (RFC 5032): the internal date at least, or at most, {@code seconds}
     * before the time of the search, both ends included as Dovecot does.
     */
    record Age(boolean older, long seconds, Instant now) implements Leaf {
        public Cost cost() {
            return Cost.INDEX;
        }

        public boolean matches(SearchableMessage message) {
            long age = now.getEpochSecond() - message.internalDate().getEpochSecond();
            return older ? age >= seconds : age <= seconds;
        }
    }

    /** LARGER and SMALLER: RFC822.SIZE strictly above or below. */
    record Size(boolean larger, long octets) implements Leaf {
        public Cost cost() {
            return Cost.INDEX;
        }

        public boolean matches(SearchableMessage message) {
            return larger ? message.size() > octets : message.size() < octets;
        }
    }

    /**
     * MODSEQ (RFC 7162 section 3.1.5): the message's mod-sequence at least the value. A flag named
     * in the key changes nothing: the store keeps one mod-sequence per message, which the
     * section allows servers to use for every flag.
     */
    record ModSeq(long modseq) implements Leaf {
        public Cost cost() {
            return Cost.INDEX;
        }

        public boolean matches(SearchableMessage message) {
            return message.modseq() >= modseq;
        }

        public boolean hasModSeq() {
            return true;
        }
    }

    /** SENTBEFORE, SENTON, SENTSINCE: the day of the Date field as written; no (valid) Date field matches none. */
    record SentDate(SearchKey.Comparison comparison, LocalDate date) implements Leaf {
        public Cost cost() {
            return Cost.ENVELOPE;
        }

        public boolean matches(SearchableMessage message) throws IOException {
            OffsetDateTime sent = MessageDates.parse(message.envelope().date());
            if (sent == null) return false;
            int c = sent.toLocalDate().compareTo(date);
            return switch (comparison) {
                case BEFORE -> c < 0;
                case ON -> c == 0;
                case SINCE -> c >= 0;
            };
        }
    }

    /**
     * FROM, TO, CC, BCC: the folded string within the {@link Addresses#searchText address list}
     * (display names and addresses); an empty string matches a message that has the field.
     */
    record AddressContains(SearchKey.TextField field, String needle) implements Leaf {
        public Cost cost() {
            return Cost.ENVELOPE;
        }

        public boolean matches(SearchableMessage message) throws IOException {
            Envelope envelope = message.envelope();
            List<Address> addresses = switch (field) {
                case FROM -> envelope.from();
                case TO -> envelope.to();
                case CC -> envelope.cc();
                case BCC -> envelope.bcc();
                case SUBJECT, BODY, TEXT -> throw new IllegalStateException(field + " is not an address field");
            };
            if (addresses.isEmpty()) return false;
            return needle.isEmpty() || Casemap.fold(Addresses.searchText(addresses)).contains(needle);
        }
    }

    /** SUBJECT: within the decoded subject, white space runs as one space; "" matches a message that has one. */
    record SubjectContains(String needle) implements Leaf {
        public Cost cost() {
            return Cost.ENVELOPE;
        }

        public boolean matches(SearchableMessage message) throws IOException {
            String subject = message.envelope().subject();
            if (subject == null) return false;
            return needle.isEmpty() || Casemap.fold(HeaderText.compressWhitespace(HeaderText.decode(subject))).contains(needle);
        }
    }

    /** HEADER name string: some field of that name contains it; "" matches any message with the field. */
    record HeaderContains(String name, String needle) implements Leaf {
        public Cost cost() {
            return Cost.HEADER;
        }

        public boolean matches(SearchableMessage message) throws IOException {
            boolean[] found = {false};
            message.headerValues(name, value -> {
                found[0] = needle.isEmpty() || Casemap.fold(value).contains(needle);
                return !found[0];
            });
            return found[0];
        }
    }

    /** BODY (the text of the body parts) or TEXT (every header too). */
    record TextContains(boolean withHeaders, String needle) implements Leaf {
        public Cost cost() {
            return Cost.BODY;
        }

        public boolean matches(SearchableMessage message) throws IOException {
            if (needle.isEmpty()) return true;
            TextScanner scanner = new TextScanner(needle);
            message.text(withHeaders, scanner);
            return scanner.found();
        }
    }
}
