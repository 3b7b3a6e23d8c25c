package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.store.Flags;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SORT and THREAD through the engine over a real Maildir. */
class SortAndThreadTest {
    @TempDir Path tmp;
    TestMailbox mailbox;

    @BeforeEach
    void open() throws IOException {
        mailbox = new TestMailbox(tmp);
    }

    @AfterEach
    void close() {
        mailbox.close();
    }

    private void addSortMessages() throws IOException {
        mailbox.append("""
                From: Zed <zed@a.org>
                To: bob@b.org
                Subject: Re: beta
                Date: Wed, 3 Jan 2024 00:00:00 +0000

                one
                """, Instant.parse("2024-02-01T00:00:00Z"), Flags.NONE);
        mailbox.append("""
                From: alpha@z.org
                To: =?utf-8?q?=C3=89mile?= <emile@c.org>
                Subject: alpha

                two two two two
                """, Instant.parse("2024-01-02T00:00:00Z"), Flags.of(Flags.SEEN));
        mailbox.append("""
                From: Mike <mike@m.org>
                To: Anna <anna@d.org>
                Cc: carl@c.org
                Subject: [list] Beta
                Date: Mon, 1 Jan 2024 10:00:00 +0000

                three three
                """, Instant.parse("2024-01-05T00:00:00Z"), Flags.NONE);
        mailbox.append("""
                From: <zed@a.org>
                Subject: gamma
                Date: Mon, 1 Jan 2024 12:00:00 +0300

                4
                """, Instant.parse("2024-01-01T00:00:00Z"), Flags.NONE);
    }

    private List<Integer> sort(String command) throws IOException {
        Command.Sort sort = (Command.Sort) Commands.parse(command);
        SearchResult result = mailbox.engine().sort(sort.criteria(), sort.key(), mailbox.view());
        List<Integer> out = new ArrayList<>();
        for (int n : result.sequenceNumbers()) out.add(n);
        return out;
    }

    private String thread(String command) throws IOException {
        Command.Thread thread = (Command.Thread) Commands.parse(command);
        return ThreadFormat.of(mailbox.engine().thread(thread.algorithm(), thread.key(), mailbox.view()));
    }

    @Test
    void sortsByEachCriterion() throws IOException {
        addSortMessages();
        assertThat(sort("SORT (SUBJECT) UTF-8 ALL")).containsExactly(2, 1, 3, 4);
        assertThat(sort("SORT (DATE) UTF-8 ALL")).containsExactly(4, 3, 2, 1);
        assertThat(sort("SORT (ARRIVAL) UTF-8 ALL")).containsExactly(4, 2, 3, 1);
        assertThat(sort("SORT (FROM) UTF-8 ALL")).containsExactly(2, 3, 1, 4);
        assertThat(sort("SORT (TO) UTF-8 ALL")).containsExactly(4, 3, 1, 2);
        assertThat(sort("SORT (CC) UTF-8 ALL")).containsExactly(1, 2, 4, 3);
        assertThat(sort("SORT (DISPLAYFROM) UTF-8 ALL")).containsExactly(2, 3, 1, 4);
        assertThat(sort("SORT (DISPLAYTO) UTF-8 ALL")).containsExactly(4, 3, 1, 2);
        List<MessageInfo> infos = new ArrayList<>();
        mailbox.folder.messages(UidSet.all(), java.util.Set.of(), infos::add);
        List<Integer> bySize = new ArrayList<>(List.of(1, 2, 3, 4));
        bySize.sort(Comparator.comparingLong((Integer seq) -> infos.get(seq - 1).size()).thenComparing(seq -> seq));
        assertThat(sort("SORT (SIZE) UTF-8 ALL")).isEqualTo(bySize);
    }

    @Test
    void reverseAppliesToItsCriterionAndTiesGoBySequenceNumber() throws IOException {
        addSortMessages();
        assertThat(sort("SORT (REVERSE SUBJECT) UTF-8 ALL")).containsExactly(4, 1, 3, 2);
        assertThat(sort("SORT (REVERSE ARRIVAL) UTF-8 ALL")).containsExactly(1, 3, 2, 4);
        assertThat(sort("SORT (FROM DATE) UTF-8 ALL")).containsExactly(2, 3, 4, 1);
        assertThat(sort("SORT (FROM REVERSE DATE) UTF-8 ALL")).containsExactly(2, 3, 1, 4);
        assertThat(sort("SORT (SUBJECT REVERSE ARRIVAL) UTF-8 ALL")).containsExactly(2, 1, 3, 4);
    }

    @Test
    void sortsOnlyWhatTheKeyFinds() throws IOException {
        addSortMessages();
        assertThat(sort("SORT (DATE) UTF-8 UNSEEN")).containsExactly(4, 3, 1);
        assertThat(sort("SORT (DATE) UTF-8 SUBJECT beta")).containsExactly(3, 1);
        Command.Sort sort = (Command.Sort) Commands.parse("UID SORT (ARRIVAL) UTF-8 ALL");
        SearchResult result = mailbox.engine().sort(sort.criteria(), sort.key(), mailbox.view());
        assertThat(result.uids()).containsExactly(4, 2, 3, 1);
        assertThatThrownBy(() -> mailbox.engine().sort(List.of(), sort.key(), mailbox.view()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void addThreadMessages() throws IOException {
        mailbox.append("""
                Message-ID: <a@x>
                Subject: Plan
                Date: Mon, 1 Jan 2024 00:00:00 +0000

                1
                """);
        mailbox.append("""
                Message-ID: <b@x>
                In-Reply-To: Your message of Monday <a@x>
                Subject: Re: Plan
                Date: Tue, 2 Jan 2024 00:00:00 +0000

                2
                """);
        mailbox.append("""
                Message-ID: <c@x>
                References: <a@x>
                 <b@x>
                Subject: =?utf-8?q?Re=3A_Plan?=
                Date: Wed, 3 Jan 2024 00:00:00 +0000

                3
                """);
        mailbox.append("""
                Message-ID: <d@x>
                Subject: Other
                Date: Thu, 4 Jan 2024 00:00:00 +0000

                4
                """);
        mailbox.append("""
                Message-ID: <e@x>
                Subject: Re: other
                Date: Fri, 5 Jan 2024 00:00:00 +0000

                5
                """);
    }

    @Test
    void threadsByReferences() throws IOException {
        addThreadMessages();
        assertThat(thread("THREAD REFERENCES UTF-8 ALL")).isEqualTo("(1 2 3)(4 5)");
        assertThat(thread("THREAD REFERENCES UTF-8 NOT 2")).isEqualTo("(1 3)(4 5)");
        Command.Thread thread = (Command.Thread) Commands.parse("UID THREAD REFERENCES UTF-8 ALL");
        List<ThreadNode> threads = mailbox.engine().thread(thread.algorithm(), thread.key(), mailbox.view());
        assertThat(threads.getFirst().uid()).isEqualTo(1);
        assertThat(threads.get(1).children().getFirst().uid()).isEqualTo(5);
    }

    @Test
    void threadsByOrderedSubject() throws IOException {
        addThreadMessages();
        assertThat(thread("THREAD ORDEREDSUBJECT UTF-8 ALL")).isEqualTo("(1 (2)(3))(4 5)");
        assertThat(thread("THREAD ORDEREDSUBJECT UTF-8 5")).isEqualTo("(5)");
        assertThat(thread("THREAD ORDEREDSUBJECT UTF-8 SEEN")).isEmpty();
    }
}
