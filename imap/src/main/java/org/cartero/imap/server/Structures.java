package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.Address;
import org.cartero.imap.protocol.BodyStructure;
import org.cartero.imap.protocol.Envelope;
import org.cartero.store.MessageContent;
import org.cartero.store.mime.Param;
import org.cartero.store.mime.Part;

/**
 * The store's parsed message ({@link org.cartero.store.mime.Envelope}, {@link Part}) as IMAP
 * describes it: ENVELOPE and BODY/BODYSTRUCTURE (RFC 9051 section 7.5.2).
 */
final class Structures {

    private Structures() {
    }

    /**
     * ENVELOPE. The store keeps address lists in IMAP's own form (groups as start and end
     * entries), so they map one to one. An absent or empty Sender or Reply-To is the From
     * (RFC 9051 section 7.5.2).
     */
    static Envelope envelope(org.cartero.store.mime.Envelope e) {
        List<Address> from = addresses(e.from());
        List<Address> sender = e.sender() == null || e.sender().isEmpty() ? from : addresses(e.sender());
        List<Address> replyTo = e.replyTo() == null || e.replyTo().isEmpty() ? from : addresses(e.replyTo());
        return new Envelope(e.date(), e.subject(), from, sender, replyTo, addresses(e.to()), addresses(e.cc()),
                addresses(e.bcc()), e.inReplyTo(), e.messageId());
    }

    private static List<Address> addresses(List<org.cartero.store.mime.Address> list) {
        if (list == null || list.isEmpty()) return List.of();
        List<Address> out = new ArrayList<>(list.size());
        for (org.cartero.store.mime.Address a : list) out.add(new Address.Mailbox(a.name(), a.route(), a.mailbox(), a.host()));
        return out;
    }

    /** BODYSTRUCTURE (with extension data) or BODY of a MIME entity. */
    static BodyStructure body(Part part) {
        BodyStructure.Extension extension = extension(part);
        if (part.isMultipart() && !part.children().isEmpty()) {
            List<BodyStructure> parts = new ArrayList<>(part.children().size());
            for (Part child : part.children()) parts.add(body(child));
            return new BodyStructure.Multipart(parts, part.subtype(), parameters(part.params()), extension);
        }
        BodyStructure.Fields fields = new BodyStructure.Fields(part.type(), part.subtype(), parameters(part.params()),
                part.id(), part.description(), part.encoding(), part.bodySize());
        if (part.isMessage()) {
            return new BodyStructure.Message(fields, envelope(part.messageEnvelope()), body(part.message()),
                    part.bodyLines(), part.md5(), extension);
        }
        if (part.type().equals("text")) return new BodyStructure.Text(fields, part.bodyLines(), part.md5(), extension);
        return new BodyStructure.Basic(fields, part.md5(), extension);
    }

    /**
     * BODYSTRUCTURE of a part as its decoded content has it: the sizes and line counts of the
     * body once every Content-Transfer-Encoding inside is undone (URLFETCH's BODYPARTSTRUCTURE
     * with BINARY, RFC 5524); the encodings are named as written.
     */
    static BodyStructure decodedBody(MessageContent message, Part part) throws IOException, ImapException {
        BodyStructure.Extension extension = extension(part);
        if (part.isMultipart() && !part.children().isEmpty()) {
            List<BodyStructure> parts = new ArrayList<>(part.children().size());
            for (Part child : part.children()) parts.add(decodedBody(message, child));
            return new BodyStructure.Multipart(parts, part.subtype(), parameters(part.params()), extension);
        }
        long[] decoded = BinaryContent.sizeAndLines(message, part);
        BodyStructure.Fields fields = new BodyStructure.Fields(part.type(), part.subtype(), parameters(part.params()),
                part.id(), part.description(), part.encoding(), decoded[0]);
        if (part.isMessage()) {
            return new BodyStructure.Message(fields, envelope(part.messageEnvelope()), decodedBody(message, part.message()),
                    decoded[1], part.md5(), extension);
        }
        if (part.type().equals("text")) return new BodyStructure.Text(fields, decoded[1], part.md5(), extension);
        return new BodyStructure.Basic(fields, part.md5(), extension);
    }

    private static BodyStructure.Extension extension(Part part) {
        BodyStructure.Disposition disposition = part.disposition() == null ? null
                : new BodyStructure.Disposition(part.disposition(), parameters(part.dispositionParams()));
        List<String> language = new ArrayList<>();
        if (part.language() != null) {
            for (String tag : part.language().split(",")) {
                if (!tag.isBlank()) language.add(tag.strip());
            }
        }
        return new BodyStructure.Extension(disposition, language, part.location());
    }

    private static List<BodyStructure.Parameter> parameters(List<Param> params) {
        if (params == null || params.isEmpty()) return List.of();
        List<BodyStructure.Parameter> out = new ArrayList<>(params.size());
        for (Param p : params) out.add(new BodyStructure.Parameter(p.name(), p.value() == null ? "" : p.value()));
        return out;
    }
}
