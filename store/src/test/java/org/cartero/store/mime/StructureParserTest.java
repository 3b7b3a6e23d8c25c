package org.cartero.store.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureParserTest {

    static MessageStructure parse(String text) {
        StructureParser p = new StructureParser();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        // feed in odd-sized pieces, as a stream would arrive
        for (int i = 0; i < b.length; i += 7) p.write(b, i, Math.min(7, b.length - i));
        return p.finish();
    }

    /** The wire (CRLF) form of a stored text, to compare offsets against. */
    static String wire(String stored) {
        return stored.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static String wireSlice(String stored, long offset, long size) {
        return wire(stored).substring((int) offset, (int) (offset + size));
    }

    @Test
    void plainTextMessageHasHeaderBodySizesAndLinesInWireForm() {
        String msg = "From: Ann <ann@example.com>\nSubject: hi\n\nline one\nline two\n";
        MessageStructure s = parse(msg);
        Part root = s.root();
        assertThat(root.type()).isEqualTo("text");
        assertThat(root.subtype()).isEqualTo("plain");
        assertThat(root.params()).containsExactly(new Param("charset", "us-ascii"));
        assertThat(s.storedSize()).isEqualTo(msg.length());
        assertThat(s.wireSize()).isEqualTo(wire(msg).length());
        assertThat(wireSlice(msg, root.headerOffset(), root.headerSize())).isEqualTo("From: Ann <ann@example.com>\r\nSubject: hi\r\n\r\n");
        assertThat(wireSlice(msg, root.bodyOffset(), root.bodySize())).isEqualTo("line one\r\nline two\r\n");
        assertThat(root.bodyLines()).isEqualTo(2);
        assertThat(root.storedBodyOffset()).isEqualTo(msg.indexOf("line one"));
    }

    @Test
    void crlfInputGivesTheSameWireOffsetsAsLf() {
        String lf = "Subject: x\n\nbody\n";
        MessageStructure a = parse(lf);
        MessageStructure b = parse(lf.replace("\n", "\r\n"));
        assertThat(b.wireSize()).isEqualTo(a.wireSize());
        assertThat(b.root().bodyOffset()).isEqualTo(a.root().bodyOffset());
        assertThat(b.root().storedBodyOffset()).isEqualTo(a.root().storedBodyOffset() + 2);
    }

    @Test
    void lastLineWithoutLineEndCountsAsALine() {
        MessageStructure s = parse("Subject: x\n\nfirst\nsecond");
        assertThat(s.root().bodyLines()).isEqualTo(2);
        assertThat(s.root().bodySize()).isEqualTo("first\r\nsecond".length());
    }

    static final String MULTIPART = """
            From: "Doe, John" <john@example.com>
            To: ann@example.com, Bob <bob@example.org>
            Subject: =?UTF-8?Q?caf=C3=A9?=
            Date: Tue, 03 Nov 2026 10:00:00 +0100
            Message-ID: <m1@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: text/plain; charset=utf-8

            hello
            --outer
            Content-Type: message/rfc822
            Content-Disposition: attachment; filename="inner.eml"

            From: inner@example.net
            Subject: inner
            Content-Type: multipart/alternative; boundary=alt

            --alt
            Content-Type: text/plain

            plain
            --alt
            Content-Type: text/html

            <p>html</p>
            --alt--
            --outer
            Content-Type: application/octet-stream; name="a.bin"
            Content-Transfer-Encoding: base64
            Content-ID: <c1@x>

            AAEC
            --outer--
            epilogue
            """;

    @Test
    void multipartTreeWithEncapsulatedMessage() {
        MessageStructure s = parse(MULTIPART);
        Part root = s.root();
        assertThat(root.type() + "/" + root.subtype()).isEqualTo("multipart/mixed");
        assertThat(root.param("boundary")).isEqualTo("outer");
        assertThat(root.children()).hasSize(3);

        Part text = root.children().get(0);
        assertThat(text.param("charset")).isEqualTo("utf-8");
        assertThat(wireSlice(MULTIPART, text.bodyOffset(), text.bodySize())).isEqualTo("hello");
        assertThat(text.bodyLines()).isEqualTo(1);
        assertThat(wireSlice(MULTIPART, text.headerOffset(), text.headerSize()))
                .isEqualTo("Content-Type: text/plain; charset=utf-8\r\n\r\n");

        Part rfc822 = root.children().get(1);
        assertThat(rfc822.type() + "/" + rfc822.subtype()).isEqualTo("message/rfc822");
        assertThat(rfc822.disposition()).isEqualTo("attachment");
        assertThat(rfc822.dispositionParams()).containsExactly(new Param("filename", "inner.eml"));
        assertThat(rfc822.messageEnvelope().subject()).isEqualTo("inner");
        Part inner = rfc822.message();
        assertThat(inner.headerOffset()).isEqualTo(rfc822.bodyOffset());
        assertThat(inner.subtype()).isEqualTo("alternative");
        assertThat(inner.children()).extracting(Part::subtype).containsExactly("plain", "html");
        assertThat(wireSlice(MULTIPART, inner.children().get(1).bodyOffset(), inner.children().get(1).bodySize()))
                .isEqualTo("<p>html</p>");
        String innerMessage = wireSlice(MULTIPART, rfc822.bodyOffset(), rfc822.bodySize());
        assertThat(innerMessage).startsWith("From: inner@example.net\r\n").endsWith("--alt--");
        assertThat(rfc822.bodyLines()).isEqualTo(innerMessage.split("\r\n", -1).length);

        Part bin = root.children().get(2);
        assertThat(bin.encoding()).isEqualTo("base64");
        assertThat(bin.id()).isEqualTo("<c1@x>");
        assertThat(bin.param("name")).isEqualTo("a.bin");
        assertThat(wireSlice(MULTIPART, bin.bodyOffset(), bin.bodySize())).isEqualTo("AAEC");

        assertThat(s.root().bodyOffset() + s.root().bodySize()).isEqualTo(s.wireSize());
    }

    @Test
    void envelopeKeepsRawValuesAndParsesAddresses() {
        Envelope e = parse(MULTIPART).envelope();
        assertThat(e.subject()).isEqualTo("=?UTF-8?Q?caf=C3=A9?=");
        assertThat(e.date()).isEqualTo("Tue, 03 Nov 2026 10:00:00 +0100");
        assertThat(e.messageId()).isEqualTo("<m1@example.com>");
        assertThat(e.from()).containsExactly(new Address("Doe, John", null, "john", "example.com"));
        assertThat(e.to()).containsExactly(new Address(null, null, "ann", "example.com"), new Address("Bob", null, "bob", "example.org"));
        assertThat(e.cc()).isEmpty();
        assertThat(e.sentDate()).isEqualTo(java.time.OffsetDateTime.parse("2026-11-03T10:00:00+01:00").toInstant().toEpochMilli());
    }

    @Test
    void foldedHeaderIsUnfolded() {
        Envelope e = parse("Subject: a long\n  subject line\nTo: a@b,\n\tc@d\n\nx\n").envelope();
        assertThat(e.subject()).isEqualTo("a long  subject line");
        assertThat(e.to()).extracting(Address::address).containsExactly("a@b", "c@d");
    }

    @Test
    void multipartWithoutBoundaryIsReadAsText() {
        Part root = parse("Content-Type: multipart/mixed\n\nno parts\n").root();
        assertThat(root.type() + "/" + root.subtype()).isEqualTo("text/plain");
        assertThat(root.children()).isEmpty();
    }

    @Test
    void multipartWithNoPartsGetsOneEmptyPart() {
        Part root = parse("Content-Type: multipart/mixed; boundary=b\n\nonly preamble\n").root();
        assertThat(root.children()).hasSize(1);
        assertThat(root.children().get(0).bodySize()).isZero();
    }

    @Test
    void digestPartsDefaultToMessageRfc822() {
        String msg = "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody\n--d--\n";
        Part part = parse(msg).root().children().get(0);
        assertThat(part.type() + "/" + part.subtype()).isEqualTo("message/rfc822");
        assertThat(part.messageEnvelope().subject()).isEqualTo("one");
    }

    @Test
    void deepNestingStopsAtTheLimitWithoutFailing() {
        StringBuilder sb = new StringBuilder();
        int depth = StructureParser.MAX_DEPTH + 20;
        for (int i = 0; i < depth; i++) sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append("\n");
        sb.append("\ninnermost\n");
        MessageStructure s = parse(sb.toString());
        int levels = 0;
        for (Part p = s.root(); !p.children().isEmpty(); p = p.children().get(0)) levels++;
        assertThat(levels).isLessThanOrEqualTo(StructureParser.MAX_DEPTH + 1);
        assertThat(s.wireSize()).isEqualTo(wire(sb.toString()).length());
    }

    @Test
    void returnPathIsRemembered() {
        assertThat(parse("Return-Path: <bounce@example.com>\nSubject: x\n\n").returnPath()).isEqualTo("bounce@example.com");
        assertThat(parse("Return-Path: <>\n\n").returnPath()).isEmpty();
        assertThat(parse("Subject: x\n\n").returnPath()).isNull();
    }

    @Test
    void headerOnlyMessage() {
        MessageStructure s = parse("Subject: no body");
        assertThat(s.root().bodySize()).isZero();
        assertThat(s.root().headerSize()).isEqualTo("Subject: no body".length());
        assertThat(s.envelope().subject()).isEqualTo("no body");
    }

    @Test
    void codecRoundTripsTheWholeTree() {
        MessageStructure s = parse(MULTIPART);
        assertThat(StructureCodec.decodePart(StructureCodec.encodePart(s.root()))).isEqualTo(s.root());
        assertThat(StructureCodec.decodeEnvelope(StructureCodec.encodeEnvelope(s.envelope()))).isEqualTo(s.envelope());
    }

    @Test
    void codecRejectsGarbage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StructureCodec.decodePart(new byte[] {1, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StructureCodec.decodeEnvelope(new byte[] {9}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressListEdgeCases() {
        assertThat(AddressParser.parse("undisclosed-recipients:;"))
                .containsExactly(Address.groupStart("undisclosed-recipients"), Address.GROUP_END);
        assertThat(AddressParser.parse("Team: a@x, B <b@y>; c@z")).containsExactly(
                Address.groupStart("Team"), new Address(null, null, "a", "x"), new Address("B", null, "b", "y"),
                Address.GROUP_END, new Address(null, null, "c", "z"));
        assertThat(AddressParser.parse("ann@example.com (Ann Example)"))
                .containsExactly(new Address("Ann Example", null, "ann", "example.com"));
        assertThat(AddressParser.parse("<@relay.example:ann@example.com>"))
                .containsExactly(new Address(null, "@relay.example", "ann", "example.com"));
        assertThat(AddressParser.parse("\"quoted local\"@example.com"))
                .containsExactly(new Address(null, null, "quoted local", "example.com"));
        assertThat(AddressParser.parse("=?utf-8?q?J=C3=B6rg?= <j@x>"))
                .containsExactly(new Address("=?utf-8?q?J=C3=B6rg?=", null, "j", "x"));
        assertThat(AddressParser.parse("<>")).containsExactly(new Address(null, null, "", null));
        assertThat(AddressParser.parse(",,, <<<>>> ;;; ((")).isNotNull(); // never throws
        assertThat(AddressParser.parse(null)).isEqualTo(List.of());
    }
}
