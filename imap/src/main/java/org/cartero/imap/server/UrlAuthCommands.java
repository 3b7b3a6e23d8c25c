package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.BodyStructure;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Content;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;

/**
 * URLAUTH (RFC 4467) and URLAUTH=BINARY (RFC 5524): GENURLAUTH authorizes URLs of the user's
 * messages, URLFETCH fetches authorized URLs (the user's own or another user's), RESETKEY voids
 * the URLs made so far. The only mechanism is INTERNAL (see {@link UrlAuthKeys}).
 */
final class UrlAuthCommands {

    static final String MECHANISM = "INTERNAL";

    private UrlAuthCommands() {
    }

    static StatusResponse genUrlAuth(Session session, String tag, Command.GenUrlAuth command) throws IOException, ImapException {
        List<String> urls = new ArrayList<>();
        for (Command.UrlAuthRequest request : command.requests()) {
            if (!request.mechanism().equalsIgnoreCase(MECHANISM)) {
                throw ImapException.no("Unsupported URLAUTH mechanism " + request.mechanism());
            }
            ImapUrl url;
            try {
                url = ImapUrl.parse(request.urlRump());
            } catch (IllegalArgumentException e) {
                throw ImapException.no(new ResponseCode.BadUrl(request.urlRump()), "Bad URL: " + e.getMessage());
            }
            if (url.user() == null || url.access() == null || url.mechanism() != null) {
                throw ImapException.no(new ResponseCode.BadUrl(request.urlRump()),
                        "A URL rump is an absolute URL ending in ;URLAUTH=access");
            }
            if (!UrlContent.isAccount(session.account(), url.user(), url.host())) {
                throw ImapException.no(new ResponseCode.BadUrl(request.urlRump()), "Only your own messages can be authorized");
            }
            session.store().status(url.mailbox()); // the mailbox must exist
            String token = session.server.urlAuthKeys().token(session.account(), url.mailbox(), url.rump());
            urls.add(url.rump() + ":" + MECHANISM + ":" + token);
        }
        session.send(new Response.GenUrlAuth(urls));
        return StatusResponse.ok(tag, "GENURLAUTH completed");
    }

    /** RESETKEY: new keys for one mailbox (or all of them), which voids the URLs authorized so far. */
    static StatusResponse resetKey(Session session, String tag, Command.ResetKey command) throws IOException, ImapException {
        for (String mechanism : command.mechanisms()) {
            if (!mechanism.equalsIgnoreCase(MECHANISM)) throw ImapException.no("Unsupported URLAUTH mechanism " + mechanism);
        }
        if (command.mailbox() != null) session.store().status(command.mailbox());
        session.server.urlAuthKeys().reset(session.account(), command.mailbox());
        return StatusResponse.ok(tag, "RESETKEY completed");
    }

    /** URLFETCH: each URL's content, or NIL for one that is not valid or not authorized (RFC 4467 section 3.5). */
    static StatusResponse urlFetch(Session session, String tag, Command.UrlFetch command) throws IOException, ImapException {
        for (Command.UrlFetchRequest request : command.requests()) {
            try (UrlContent content = UrlContent.forFetch(session, request.url())) {
                session.sendStreamed(response(request, content));
            }
        }
        return StatusResponse.ok(tag, "URLFETCH completed");
    }

    private static Response.UrlFetch response(Command.UrlFetchRequest request, UrlContent content) throws IOException {
        if (content == null) return Response.UrlFetch.plain(request.url(), new Content.Nil());
        if (!request.extended()) return Response.UrlFetch.plain(request.url(), content.body());
        boolean binary = request.params().contains(Command.UrlFetchParam.BINARY);
        try {
            BodyStructure structure = request.params().contains(Command.UrlFetchParam.BODYPARTSTRUCTURE)
                    ? content.structure(binary) : null;
            Content data = binary ? content.binary()
                    : request.params().contains(Command.UrlFetchParam.BODY) ? content.body() : null;
            return new Response.UrlFetch(request.url(), true, structure, data, binary);
        } catch (ImapException e) {
            return Response.UrlFetch.plain(request.url(), new Content.Nil()); // an encoding that cannot be undone
        }
    }

}
