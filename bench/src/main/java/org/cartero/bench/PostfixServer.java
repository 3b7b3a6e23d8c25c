package org.cartero.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Debian's Postfix as a private instance (its own configuration, queue and data directories,
 * `postfix -c DIR start`): listening on loopback only, relaying nowhere (every transport but
 * virtual is "error", reject_unauth_destination), the bench domain delivered by virtual(8) into
 * one Maildir per user. Postfix fsyncs every queue file and delivered file; there is no switch.
 */
final class PostfixServer implements BenchServer {
    private final Path dir;
    private final int port;
    private final List<String> users;
    private final long masterPid;

    private PostfixServer(Path dir, int port, List<String> users, long masterPid) {
        this.dir = dir;
        this.port = port;
        this.users = users;
        this.masterPid = masterPid;
    }

    static PostfixServer start(Path dir, int port, List<String> users) throws Exception {
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc);
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("mail"));
        Bench.run(List.of("chown", "postfix:postfix", dir.resolve("data").toString()));
        Bench.run(List.of("chown", "nobody:nogroup", dir.resolve("mail").toString()));
        Files.writeString(etc.resolve("main.cf"), """
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                mail_owner = postfix
                setgid_group = postdrop
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                myhostname = postfix.bench.localhost
                mydestination =
                relayhost =
                default_transport = error
                relay_transport = error
                local_transport = error
                alias_maps =
                alias_database =
                smtpd_relay_restrictions = reject_unauth_destination
                smtpd_recipient_restrictions = reject_unauth_destination
                virtual_mailbox_domains = bench.test
                virtual_mailbox_base = %1$s/mail
                virtual_mailbox_maps = texthash:%1$s/etc/vmailbox
                virtual_uid_maps = static:65534
                virtual_gid_maps = static:65534
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                biff = no
                """.formatted(dir));
        Files.writeString(etc.resolve("master.cf"), """
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n - n 60 1 pickup
                cleanup   unix  n - n -  0 cleanup
                qmgr      unix  n - n 300 1 qmgr
                rewrite   unix  - - n -  - trivial-rewrite
                bounce    unix  - - n -  0 bounce
                defer     unix  - - n -  0 bounce
                trace     unix  - - n -  0 bounce
                verify    unix  - - n -  1 verify
                flush     unix  n - n 1000? 0 flush
                proxymap  unix  - - n -  - proxymap
                proxywrite unix - - n -  1 proxymap
                smtp      unix  - - n -  - smtp
                relay     unix  - - n -  - smtp
                showq     unix  n - n -  - showq
                error     unix  - - n -  - error
                retry     unix  - - n -  - error
                discard   unix  - - n -  - discard
                local     unix  - n n -  - local
                virtual   unix  - n n -  - virtual
                lmtp      unix  - - n -  - lmtp
                anvil     unix  - - n -  1 anvil
                scache    unix  - - n -  1 scache
                postlog   unix-dgram n - n - 1 postlogd
                """.formatted(port));
        Files.writeString(etc.resolve("vmailbox"),
                users.stream().map(u -> u + "@bench.test bench.test/" + u + "/").collect(Collectors.joining("\n", "", "\n")));
        Bench.run(List.of("postfix", "-c", etc.toString(), "start"));
        Path pidFile = dir.resolve("queue/pid/master.pid");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) Thread.sleep(100);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Bench.awaitPort(port);
        return new PostfixServer(dir, port, users, pid);
    }

    @Override
    public String name() {
        return "Postfix " + Bench.output(List.of("postconf", "-h", "mail_version")).strip();
    }

    @Override
    public InetSocketAddress smtp() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public long pid() {
        return masterPid;
    }

    @Override
    public long delivered() throws IOException {
        return BenchServer.countMaildirFiles(dir.resolve("mail/bench.test"), users);
    }

    @Override
    public OptionalLong peakHeapBytes() {
        return OptionalLong.empty();
    }

    @Override
    public void startHeapWatch() {}

    @Override
    public void close() throws Exception {
        Bench.run(List.of("postfix", "-c", dir.resolve("etc").toString(), "stop"));
    }
}
