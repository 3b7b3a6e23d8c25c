package org.cartero.server;

import java.util.concurrent.Callable;
import org.cartero.core.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cartero check-config}: reads the configuration and reports the first problem precisely. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the configuration file; an error names the file, line and key.")
final class CheckConfigCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.load(main.configFile());
        Config config = settings.config();
        System.out.println(config.file() + ": OK (hostname " + config.hostname() + ", data in " + config.dataDir()
                + ", " + config.listen().values().stream().mapToInt(java.util.List::size).sum() + " listening addresses)");
        return 0;
    }
}
