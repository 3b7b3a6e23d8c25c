package org.cartero.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cartero serve}: runs every configured listener in the foreground until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run all configured listeners in the foreground, logging to standard output.",
                "SIGTERM (or Ctrl-C) stops accepting, lets sessions finish (timeouts.shutdown) and exits 0."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.load(main.configFile());
        StopSignal stop = StopSignal.install();
        try (CarteroServer server = CarteroServer.start(settings)) {
            stop.await();
        }
        return 0;
    }
}
