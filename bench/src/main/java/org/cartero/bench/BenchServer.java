package org.cartero.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** A mail server under test: started on a loopback port, delivering the bench domain's users into Maildirs. */
interface BenchServer extends AutoCloseable {

    String name();

    InetSocketAddress smtp();

    /** The process whose CPU time (with its descendants') is the server's. */
    long pid();

    /** Messages delivered so far into the users' Maildirs. */
    long delivered() throws IOException;

    /** The most heap the server used during the last measurement, when it is a JVM. */
    OptionalLong peakHeapBytes();

    void startHeapWatch() throws IOException;

    @Override
    void close() throws Exception;

    /** Files in the new/ and cur/ folders of the Maildirs under {@code base/bench.test/USER}. */
    static long countMaildirFiles(Path domainDir, List<String> users) throws IOException {
        long count = 0;
        for (String user : users) {
            for (String sub : List.of("new", "cur")) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(domainDir.resolve(user).resolve(sub))) {
                    for (Path ignored : files) count++;
                } catch (NoSuchFileException e) {
                    // nothing delivered there yet
                }
            }
        }
        return count;
    }
}
