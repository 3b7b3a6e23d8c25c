package org.cartero.store.embedded;

import java.io.IOException;

/**
 * A file is not where the index says (another program renamed or removed it): the operation is
 * retried once after synchronising the folder with its files.
 */
final class StaleIndexException extends IOException {
    StaleIndexException(String message) {
        super(message);
    }
}
