package org.cartero.server;

/** A command that cannot do what was asked; its message is shown to the user as is. */
public final class CommandException extends Exception {
    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
