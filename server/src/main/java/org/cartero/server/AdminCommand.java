package org.cartero.server;

import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigSection;
import org.cartero.core.directory.AliasSource;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.mail.MailAddress;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

/**
 * What the {@code domain}, {@code user} and {@code alias} commands share: the directory named by
 * the configuration, and the converters of their arguments (a value that does not convert is a
 * usage error, exit code 2). They change the directory while the server runs; the server sees
 * each change at its next lookup.
 */
abstract class AdminCommand {

    @ParentCommand
    Main main;

    Directory openDirectory() throws ConfigException, DirectoryException {
        return Directory.open(Settings.load(main.configFile()).config());
    }

    static final class AddressConverter implements CommandLine.ITypeConverter<MailAddress> {
        @Override
        public MailAddress convert(String value) {
            try {
                return MailAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("not an address: " + e.getMessage());
            }
        }
    }

    static final class AliasSourceConverter implements CommandLine.ITypeConverter<AliasSource> {
        @Override
        public AliasSource convert(String value) {
            try {
                return AliasSource.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("not an address or @domain: " + e.getMessage());
            }
        }
    }

    /** A size in bytes: 1048576, or with a unit as in the configuration file: 512K, 50M, 2G, 1T. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ConfigSection.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A size as people read it: "unlimited" for 0, else in the largest unit that divides it. */
    static String formatSize(long bytes) {
        if (bytes == 0) return "unlimited";
        String[] units = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (40 - 10 * i);
            if (bytes % unit == 0) return bytes / unit + units[i];
        }
        return Long.toString(bytes);
    }
}
