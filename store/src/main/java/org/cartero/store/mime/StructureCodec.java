package org.cartero.store.mime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form in which the index keeps envelopes and MIME trees: variable-length
 * integers and length-prefixed UTF-8 strings, led by a format version. Envelope and tree are
 * kept apart so that FETCH ENVELOPE reads no tree. Decoding rejects anything malformed with
 * IllegalArgumentException, which the index treats as damage and repairs by re-parsing.
 */
public final class StructureCodec {
    private static final int VERSION = 1;

    private StructureCodec() {}

    public static byte[] encodeEnvelope(Envelope e) {
        Writer w = new Writer();
        w.varint(VERSION);
        envelope(w, e);
        return w.bytes();
    }

    public static Envelope decodeEnvelope(byte[] bytes) {
        Reader r = new Reader(bytes);
        r.version();
        return r.envelope();
    }

    public static byte[] encodePart(Part p) {
        Writer w = new Writer();
        w.varint(VERSION);
        part(w, p);
        return w.bytes();
    }

    public static Part decodePart(byte[] bytes) {
        Reader r = new Reader(bytes);
        r.version();
        return r.part(0);
    }

    private static void envelope(Writer w, Envelope e) {
        w.string(e.date());
        w.string(e.subject());
        for (List<Address> list : List.of(e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc())) {
            w.varint(list.size());
            for (Address a : list) {
                w.string(a.name());
                w.string(a.route());
                w.string(a.mailbox());
                w.string(a.host());
            }
        }
        w.string(e.inReplyTo());
        w.string(e.messageId());
        w.string(e.references());
        w.varint(e.sentDate() == null ? 0 : 1);
        if (e.sentDate() != null) w.signed(e.sentDate());
    }

    private static void part(Writer w, Part p) {
        w.string(p.type());
        w.string(p.subtype());
        params(w, p.params());
        w.string(p.id());
        w.string(p.description());
        w.string(p.encoding());
        w.string(p.md5());
        w.string(p.disposition());
        params(w, p.dispositionParams());
        w.string(p.language());
        w.string(p.location());
        w.varint(p.headerOffset());
        w.varint(p.headerSize());
        w.varint(p.bodyOffset());
        w.varint(p.bodySize());
        w.varint(p.bodyLines());
        w.varint(p.storedHeaderOffset());
        w.varint(p.storedBodyOffset());
        w.varint(p.children().size());
        for (Part c : p.children()) part(w, c);
        w.varint(p.message() == null ? 0 : 1);
        if (p.message() != null) {
            envelope(w, p.messageEnvelope());
            part(w, p.message());
        }
    }

    private static void params(Writer w, List<Param> params) {
        w.varint(params.size());
        for (Param p : params) {
            w.string(p.name());
            w.string(p.value());
        }
    }

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void varint(long v) {
            if (v < 0) throw new IllegalArgumentException("negative " + v);
            while (v >= 0x80) {
                out.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        void signed(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            out.writeBytes(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            in = ByteBuffer.wrap(bytes);
        }

        void version() {
            long v = varint();
            if (v != VERSION) throw new IllegalArgumentException("unknown structure format " + v);
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!in.hasRemaining()) throw new IllegalArgumentException("truncated structure");
                int b = in.get() & 0xff;
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) return v;
            }
            throw new IllegalArgumentException("over-long number in structure");
        }

        int count() {
            long n = varint();
            if (n > in.remaining()) throw new IllegalArgumentException("bad count in structure");
            return (int) n;
        }

        long signed() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        String string() {
            long n = varint();
            if (n == 0) return null;
            if (n - 1 > in.remaining()) throw new IllegalArgumentException("truncated string in structure");
            byte[] b = new byte[(int) (n - 1)];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        Envelope envelope() {
            String date = string();
            String subject = string();
            List<List<Address>> lists = new ArrayList<>();
            for (int l = 0; l < 6; l++) {
                int n = count();
                List<Address> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(new Address(string(), string(), string(), string()));
                lists.add(List.copyOf(list));
            }
            String inReplyTo = string();
            String messageId = string();
            String references = string();
            Long sent = varint() == 1 ? signed() : null;
            return new Envelope(date, subject, lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4),
                    lists.get(5), inReplyTo, messageId, references, sent);
        }

        Part part(int depth) {
            if (depth > StructureParser.MAX_DEPTH + 1) throw new IllegalArgumentException("structure nested too deep");
            String type = string(), subtype = string();
            List<Param> params = params();
            String id = string(), description = string(), encoding = string(), md5 = string(), disposition = string();
            List<Param> dispositionParams = params();
            String language = string(), location = string();
            long headerOffset = varint(), headerSize = varint(), bodyOffset = varint(), bodySize = varint(),
                    bodyLines = varint(), storedHeaderOffset = varint(), storedBodyOffset = varint();
            int n = count();
            List<Part> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) children.add(part(depth + 1));
            Envelope messageEnvelope = null;
            Part message = null;
            if (varint() == 1) {
                messageEnvelope = envelope();
                message = part(depth + 1);
            }
            return new Part(type, subtype, params, id, description, encoding, md5, disposition, dispositionParams,
                    language, location, headerOffset, headerSize, bodyOffset, bodySize, bodyLines,
                    storedHeaderOffset, storedBodyOffset, List.copyOf(children), messageEnvelope, message);
        }

        List<Param> params() {
            int n = count();
            List<Param> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(new Param(string(), string()));
            return List.copyOf(out);
        }
    }
}
