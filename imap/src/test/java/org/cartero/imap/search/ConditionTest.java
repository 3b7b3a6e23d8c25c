package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.search.Condition.Cost;
import org.cartero.imap.search.Condition.Truth;
import org.cartero.store.Flags;
import org.cartero.store.UidList;
import org.cartero.store.mime.AddressParser;
import org.cartero.store.mime.Envelope;
import org.junit.jupiter.api.Test;

/** How a compiled key is tested: three-valued with the data at hand, cheapest operands first, dear data only when needed. */
class ConditionTest {

    /** A message that records which of its data was read. */
    static final class RecordingMessage implements SearchableMessage {
        final List<String> reads = new ArrayList<>();
        final Flags flags;

        RecordingMessage(Flags flags) {
            this.flags = flags;
        }

        public int sequenceNumber() {
            return 1;
        }

        public long uid() {
            return 7;
        }

        public boolean isRecent() {
            return false;
        }

        public Flags flags() {
            reads.add("flags");
            return flags;
        }

        public long size() {
            reads.add("size");
            return 100;
        }

        public Instant internalDate() {
            reads.add("internal date");
            return Instant.EPOCH;
        }

        public long modseq() {
            reads.add("modseq");
            return 1;
        }

        public Envelope envelope() {
            reads.add("envelope");
            return new Envelope(null, "hello", AddressParser.parse("a@b"), List.of(), List.of(), List.of(), List.of(),
                    List.of(), null, null, null, null);
        }

        public void headerValues(String name, TextVisitor visitor) {
            reads.add("header");
        }

        public void text(boolean withHeaders, TextSink sink) {
            reads.add("text");
            sink.text("some body text");
            sink.endText();
        }
    }

    private static Condition compile(String program) {
        MailboxView view = new MailboxView(UidList.of(7), null, null);
        return Condition.compile(Commands.key(program), new Condition.Context(view, ZoneOffset.UTC, Instant.EPOCH));
    }

    @Test
    void aCheapOperandThatDecidesSparesTheDearOnes() throws Exception {
        RecordingMessage unseen = new RecordingMessage(Flags.NONE);
        assertThat(compile("BODY body SEEN").test(unseen, Cost.BODY)).isEqualTo(Truth.FALSE);
        assertThat(unseen.reads).containsExactly("flags");

        RecordingMessage flagged = new RecordingMessage(Flags.of(Flags.FLAGGED));
        assertThat(compile("OR BODY body FLAGGED").test(flagged, Cost.BODY)).isEqualTo(Truth.TRUE);
        assertThat(flagged.reads).containsExactly("flags");
    }

    @Test
    void operandsRunFromTheCheapestToTheDearest() throws Exception {
        RecordingMessage message = new RecordingMessage(Flags.NONE);
        assertThat(compile("BODY body HEADER X-Foo bar FROM a@b LARGER 10 1").test(message, Cost.BODY)).isEqualTo(Truth.FALSE);
        assertThat(message.reads).containsExactly("size", "envelope", "header");

        RecordingMessage again = new RecordingMessage(Flags.NONE);
        assertThat(compile("BODY body FROM nobody").test(again, Cost.BODY)).isEqualTo(Truth.FALSE);
        assertThat(again.reads).containsExactly("envelope");
    }

    @Test
    void withoutTheDataAKeyIsUnknownAndOnlyThatIsLeftOpen() throws Exception {
        RecordingMessage unseen = new RecordingMessage(Flags.NONE);
        assertThat(compile("SEEN BODY body").test(unseen, Cost.INDEX)).isEqualTo(Truth.FALSE);
        assertThat(compile("OR SEEN BODY body").test(unseen, Cost.INDEX)).isEqualTo(Truth.UNKNOWN);
        assertThat(compile("NOT BODY body").test(unseen, Cost.INDEX)).isEqualTo(Truth.UNKNOWN);
        assertThat(compile("UNSEEN").test(unseen, Cost.NUMBERS)).isEqualTo(Truth.UNKNOWN);
        assertThat(compile("OR 1 UNSEEN").test(unseen, Cost.NUMBERS)).isEqualTo(Truth.TRUE);
        assertThat(compile("2 UNSEEN").test(unseen, Cost.NUMBERS)).isEqualTo(Truth.FALSE);
        assertThat(unseen.reads).containsOnly("flags");
        assertThat(compile("OR SEEN BODY body").test(unseen, Cost.BODY)).isEqualTo(Truth.TRUE);
        assertThat(compile("NOT BODY body").test(unseen, Cost.BODY)).isEqualTo(Truth.FALSE);
    }

    @Test
    void aConditionKnowsWhatDataItNeeds() {
        Condition condition = compile("SEEN OR FROM a@b 1:3");
        assertThat(condition.needs(Cost.NUMBERS)).isTrue();
        assertThat(condition.needs(Cost.INDEX)).isTrue();
        assertThat(condition.needs(Cost.ENVELOPE)).isTrue();
        assertThat(condition.needs(Cost.HEADER)).isFalse();
        assertThat(condition.needs(Cost.BODY)).isFalse();
        assertThat(condition.cost()).isEqualTo(Cost.ENVELOPE);
        assertThat(condition.hasModSeq()).isFalse();
        assertThat(compile("NOT OR SEEN MODSEQ 5").hasModSeq()).isTrue();
    }

    @Test
    void flagsTheStoreCannotHoldAreSetOnNoMessage() throws Exception {
        RecordingMessage message = new RecordingMessage(Flags.NONE);
        Condition.Context context = new Condition.Context(new MailboxView(UidList.of(7), null, null), ZoneOffset.UTC, Instant.EPOCH);
        assertThat(Condition.compile(new SearchKey.Flag("\\Foo", true), context).test(message, Cost.NUMBERS)).isEqualTo(Truth.FALSE);
        assertThat(Condition.compile(new SearchKey.Flag("\\Foo", false), context).test(message, Cost.NUMBERS)).isEqualTo(Truth.TRUE);
        assertThat(message.reads).isEmpty();
    }
}
