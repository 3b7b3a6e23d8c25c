package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mangled input never makes the reader throw anything but what its contract says:
 * every call returns a command, a refusal or the end, and the reader always moves on. The seeds
 * are fixed so that a failure can be replayed.
 */
class ReaderFuzzTest {

    private static final ReaderLimits LIMITS = new ReaderLimits(2048, 4096, ReaderLimits.LITERAL_MINUS);

    private static final String[] TOKENS = {
        "A1", "a2", "*", "+", " ", " ", " ", "\r\n", "\n", "\r", "(", ")", "[", "]", "<", ">", ".", ":", ",", "$", "%",
        "\"", "\\", "{", "}", "~", "0", "1", "7", "42", "4294967295", "4294967296", "99999999999999999999", "-1",
        "{0}\r\n", "{3}\r\n", "{5+}\r\n", "~{4}\r\n", "~{2+}\r\n", "{99999}\r\n", "{9999999+}\r\n", "\0", "\u00e9", "\u00ff",
        "UID", "FETCH", "STORE", "SEARCH", "SORT", "THREAD", "APPEND", "LIST", "LSUB", "SELECT", "EXAMINE", "STATUS",
        "LOGIN", "AUTHENTICATE", "ID", "ENABLE", "CREATE", "RENAME", "NOTIFY", "SET", "URLFETCH", "GENURLAUTH", "COPY",
        "MOVE", "EXPUNGE", "IDLE", "SETQUOTA", "CANCELUPDATE", "RESETKEY", "COMPRESS", "CATENATE", "URL", "TEXT", "UTF8",
        "RETURN", "CHARSET", "PARTIAL", "MODSEQ", "\"/flags/\\\\seen\"", "OR", "NOT", "ALL", "HEADER", "SUBJECT",
        "SINCE", "1-Feb-2024", "\"05-Mar-2024 10:00:00 +0100\"", "BODY", "BODY.PEEK", "BINARY", "HEADER.FIELDS", "MIME",
        "FLAGS", "+FLAGS.SILENT", "\\Seen", "INBOX", "&AOQ-", "&", "QRESYNC", "CONDSTORE", "CHANGEDSINCE", "VANISHED",
        "UNCHANGEDSINCE", "SUBSCRIBED", "RECURSIVEMATCH", "MessageNew", "selected", "mailboxes", "REVERSE", "ARRIVAL",
        "REFERENCES", "us-ascii", "NIL", "DONE",
    };

    private static final String[] VALID = {
        "A1 UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<0.100> BINARY[1.2]) (CHANGEDSINCE 5 VANISHED)\r\n",
        "A2 SEARCH RETURN (MIN MAX PARTIAL 1:10) CHARSET UTF-8 OR (SEEN FLAGGED) NOT UID 1:5 SUBJECT {3}\r\nabc\r\n",
        "A3 APPEND INBOX (\\Seen) \"05-Mar-2024 10:00:00 +0100\" {5+}\r\nhello {3+}\r\nabc CATENATE (URL \"/x\" TEXT {2+}\r\nhi)\r\n",
        "A4 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"%\" a/*) RETURN (CHILDREN STATUS (MESSAGES))\r\n",
        "A5 SELECT INBOX (QRESYNC (1 2 1:5 (1,3 1,3)))\r\n",
        "A6 NOTIFY SET STATUS (selected (MessageNew (UID FLAGS) MessageExpunge)) (mailboxes (a b) NONE)\r\n",
        "A7 SORT RETURN (ALL) (REVERSE ARRIVAL SUBJECT) UTF-8 MODSEQ \"/flags/\\\\seen\" all 1\r\n",
        "A8 STORE 1:3 (UNCHANGEDSINCE 7) +FLAGS.SILENT (\\Deleted $Junk)\r\n",
        "A9 LOGIN {4}\r\nfred \"se\\\"cret\"\r\n",
        "B1 URLFETCH (imap://u@h/INBOX/;uid=1 BINARY BODYPARTSTRUCTURE)\r\n",
    };

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(20240305);
        for (int round = 0; round < 3000; round++) {
            byte[] input = new byte[random.nextInt(300)];
            random.nextBytes(input);
            drain(input);
        }
    }

    @Test
    void randomTokenSequences() throws IOException {
        Random random = new Random(1996);
        for (int round = 0; round < 20000; round++) {
            StringBuilder input = new StringBuilder();
            int tokens = random.nextInt(40);
            for (int i = 0; i < tokens; i++) input.append(TOKENS[random.nextInt(TOKENS.length)]);
            drain(input.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void mangledValidCommands() throws IOException {
        Random random = new Random(3501);
        for (int round = 0; round < 20000; round++) {
            byte[] valid = VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream mangled = new ByteArrayOutputStream();
            for (byte b : valid) {
                int dice = random.nextInt(60);
                if (dice == 0) continue;
                if (dice == 1) {
                    mangled.write(random.nextInt(256));
                } else if (dice == 2) {
                    mangled.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                }
                mangled.write(b);
            }
            drain(mangled.toByteArray());
        }
    }

    /** Reads every command of the input, consuming APPEND's messages, until the end. */
    private static void drain(byte[] input) throws IOException {
        CommandReader reader = new CommandReader(new ByteArrayInputStream(input), LIMITS, () -> { });
        for (int calls = 0; calls <= input.length + 1; calls++) {
            Received received = reader.next();
            switch (received) {
                case Received.Closed closed -> {
                    return;
                }
                case Received.Refused refused -> {
                    assertThat(refused.response().kind()).isIn(StatusResponse.Kind.BAD, StatusResponse.Kind.NO);
                    if (refused.closeConnection()) return;
                }
                case Received.Request request -> {
                    if (request.command() instanceof Command.Append append) consume(append);
                }
            }
        }
        throw new AssertionError("the reader does not move on through " + new String(input, StandardCharsets.ISO_8859_1));
    }

    private static void consume(Command.Append append) throws IOException {
        try {
            for (AppendReader.Message message; (message = append.messages().next()) != null; ) {
                if (message.data() instanceof AppendReader.Literal literal) {
                    literal.open().readAllBytes();
                } else {
                    AppendReader.Catenation catenation = (AppendReader.Catenation) message.data();
                    for (AppendReader.Part part; (part = catenation.next()) != null; ) {
                        if (part instanceof AppendReader.Literal text) text.open().readAllBytes();
                    }
                }
            }
        } catch (ProtocolException | EOFException e) {
            // a malformed later message, a refused literal, or the input ending in a literal
        }
    }
}
