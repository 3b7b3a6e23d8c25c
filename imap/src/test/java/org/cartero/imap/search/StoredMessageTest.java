package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.MessageGoneException;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The message access the engine searches through, over a real Maildir file: decoded headers, streamed text. */
class StoredMessageTest {
    @TempDir Path tmp;
    TestMailbox mailbox;

    @BeforeEach
    void open() throws IOException {
        mailbox = new TestMailbox(tmp);
    }

    @AfterEach
    void close() {
        mailbox.close();
    }

    private StoredMessage stored(long uid) {
        return new StoredMessage(mailbox.folder, 1, uid, false);
    }

    /** Collects the texts a message streams, and how big its pieces were. */
    private static final class Collector implements SearchableMessage.TextSink {
        final List<String> texts = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        int pieces;
        int largestPiece;
        int stopAfterPieces = Integer.MAX_VALUE;

        public boolean text(CharSequence piece) {
            pieces++;
            largestPiece = Math.max(largestPiece, piece.length());
            current.append(piece);
            return pieces >= stopAfterPieces;
        }

        public boolean endText() {
            texts.add(current.toString());
            current.setLength(0);
            return false;
        }
    }

    @Test
    void headerValuesAreEveryFieldOfTheNameDecoded() throws IOException {
        long uid = mailbox.append("""
                Subject: =?utf-8?b?w6l0w6k=?=
                X-Tag: one
                x-tag: =?iso-8859-1?q?deux_=E9t=E9?=
                Content-Disposition: attachment; filename*=utf-8''%C3%A9t%C3%A9.txt

                body
                """);
        List<String> values = new ArrayList<>();
        stored(uid).headerValues("X-TAG", value -> values.add(value));
        assertThat(values).containsExactly("one", "deux été");
        values.clear();
        stored(uid).headerValues("Subject", values::add);
        assertThat(values).containsExactly("été");
        values.clear();
        stored(uid).headerValues("Content-Disposition", values::add);
        assertThat(values.getFirst()).endsWith("filename=été.txt");
        values.clear();
        stored(uid).headerValues("X-Tag", value -> !values.add(value));
        assertThat(values).containsExactly("one");
    }

    @Test
    void textStreamsEachPartDecodedInPieces() throws IOException {
        String line = "The quick brown fox jumps over the lazy dog. Ça va très bien.\n";
        String text = line.repeat(60_000); // about 3.8 MB
        String encoded = Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        long uid = mailbox.append("""
                Subject: big
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary=xyz

                --xyz
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: base64

                %s
                --xyz
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                fin de l'=E9t=E9
                --xyz--
                """.formatted(encoded), Instant.now(), Flags.NONE);
        Collector bodies = new Collector();
        stored(uid).text(false, bodies);
        assertThat(bodies.texts).hasSize(2);
        assertThat(bodies.texts.get(0).replace("\r\n", "\n")).isEqualTo(text);
        assertThat(bodies.texts.get(1)).isEqualTo("fin de l'été");
        assertThat(bodies.largestPiece).isLessThanOrEqualTo(8192);
        assertThat(bodies.pieces).isGreaterThan(text.length() / 8192);

        Collector withHeaders = new Collector();
        stored(uid).text(true, withHeaders);
        assertThat(withHeaders.texts).hasSize(5);
        assertThat(withHeaders.texts.get(0)).isEqualTo("Subject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=xyz\r\n");
        assertThat(withHeaders.texts.get(1)).startsWith("Content-Type: text/plain; charset=utf-8\r\n");

        Collector stopping = new Collector();
        stopping.stopAfterPieces = 2;
        stored(uid).text(false, stopping);
        assertThat(stopping.pieces).isEqualTo(2);
        assertThat(stopping.texts).isEmpty();
    }

    @Test
    void aMessageExpungedMeanwhileIsGone() throws IOException {
        long uid = mailbox.append("Subject: soon gone\n\nbody\n");
        StoredMessage message = stored(uid);
        mailbox.folder.store(UidSet.of(uid), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
        mailbox.folder.expunge(null);
        assertThatThrownBy(message::envelope).isInstanceOf(MessageGoneException.class);
        assertThatThrownBy(() -> message.text(false, new Collector())).isInstanceOf(MessageGoneException.class);
    }
}
