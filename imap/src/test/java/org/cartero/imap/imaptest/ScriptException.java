package org.cartero.imap.imaptest;

import java.nio.file.Path;

/** A test script imaptest would refuse to run, with the file and line of the mistake. */
final class ScriptException extends Exception {
    private static final long serialVersionUID = 1L;

    ScriptException(Path script, int line, String message) {
        super(script + (line > 0 ? " line " + line : "") + ": " + message);
    }
}
