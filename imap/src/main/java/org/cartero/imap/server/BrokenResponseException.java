package org.cartero.imap.server;

import java.io.IOException;

/**
 * A response broke off after part of it was written (a message file vanished in the middle of
 * a literal): the client can no longer tell where responses begin, so the session ends.
 */
final class BrokenResponseException extends IOException {

    BrokenResponseException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
