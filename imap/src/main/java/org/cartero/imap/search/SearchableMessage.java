package org.cartero.imap.search;

import java.io.IOException;
import java.time.Instant;
import org.cartero.store.Flags;
import org.cartero.store.mime.Envelope;

/**
 * One message as the search engine reads it, from the cheapest data to the dearest: its place in
 * the session's view; the index data (flags, size, dates, MODSEQ); the envelope; and the message
 * itself, of which only what a key asks for is read, streamed and decoded (header fields by
 * name; the text of the body parts). The engine asks for the dearer data only when the cheaper
 * keys have not decided.
 */
public interface SearchableMessage {

    /** The message's sequence number in the session's view. */
    int sequenceNumber();

    long uid();

    /** Whether the message is \Recent in this session. */
    boolean isRecent();

    Flags flags();

    /** RFC822.SIZE: the message's size with CRLF line ends. */
    long size();

    Instant internalDate();

    long modseq();

    /** The envelope the store took from the header (encoded words not yet decoded). */
    Envelope envelope() throws IOException;

    /**
     * Gives {@code visitor} the value of each top-level header field named {@code name} (without
     * case), in order, unfolded and decoded (RFC 2047 encoded words, RFC 2231 parameters of
     * Content-Type and Content-Disposition, UTF-8 or ISO-8859-1 octets), until it returns false.
     */
    void headerValues(String name, TextVisitor visitor) throws IOException;

    /**
     * Streams the message's text to {@code sink}: the bodies of its text/* and message/* parts
     * (embedded messages included), transfer-decoded (base64, quoted-printable) and decoded from
     * their charset, in pieces; with {@code withHeaders}, every header of the message and its
     * parts too, as "Name: value" lines decoded as for {@link #headerValues}. Each header and
     * each body is one text, ended by {@link TextSink#endText()}. Stops as soon as the sink
     * returns true.
     */
    void text(boolean withHeaders, TextSink sink) throws IOException;

    /** Receives header values; returns false to stop. */
    @FunctionalInterface
    interface TextVisitor {
        boolean visit(String value) throws IOException;
    }

    /** Receives streamed text; each method returns true to stop the stream. */
    interface TextSink {
        /** More of the current text. */
        boolean text(CharSequence piece);

        /** The current text (one header, one body part) ends. */
        boolean endText();
    }
}
