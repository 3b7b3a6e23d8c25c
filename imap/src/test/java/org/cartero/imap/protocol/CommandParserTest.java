package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parsers of the commands without a class of their own, valid and invalid input. */
class CommandParserTest {

    @Test
    void commandsWithoutArguments() {
        assertThat(Wire.parse("capability")).isEqualTo(new Command.Capability());
        assertThat(Wire.parse("NOOP")).isEqualTo(new Command.Noop());
        assertThat(Wire.parse("Logout")).isEqualTo(new Command.Logout());
        assertThat(Wire.parse("STARTTLS")).isEqualTo(new Command.StartTls());
        assertThat(Wire.parse("NAMESPACE")).isEqualTo(new Command.Namespace());
        assertThat(Wire.parse("IDLE")).isEqualTo(new Command.Idle());
        assertThat(Wire.parse("CHECK")).isEqualTo(new Command.Check());
        assertThat(Wire.parse("CLOSE")).isEqualTo(new Command.Close());
        assertThat(Wire.parse("UNSELECT")).isEqualTo(new Command.Unselect());
        assertThat(Wire.parse("EXPUNGE")).isEqualTo(new Command.Expunge(null));
        assertThat(Wire.refuse("CLOSE INBOX").text()).startsWith("Unexpected arguments at the end of the command");
    }

    @Test
    void id() {
        assertThat(Wire.parse("ID NIL")).isEqualTo(new Command.Id(List.of()));
        assertThat(Wire.parse("ID ()")).isEqualTo(new Command.Id(List.of()));
        assertThat(Wire.parse("ID (\"name\" \"mutt\" \"version\" NIL)")).isEqualTo(new Command.Id(List.of(
                new Command.IdField("name", "mutt"), new Command.IdField("version", null))));
        assertThat(Wire.refuse("ID (\"name\")").text()).isEqualTo("Expected a space, but found \")\"");
        assertThat(Wire.refuse("ID name").text()).isEqualTo("Expected \"(\", but found \"name\"");
    }

    @Test
    void authenticateWithAndWithoutAnInitialResponse() {
        assertThat(((Command.Authenticate) Wire.parse("AUTHENTICATE plain")).initialResponse()).isNull();
        Command.Authenticate withResponse = (Command.Authenticate) Wire.parse("AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0");
        assertThat(withResponse.mechanism()).isEqualTo("PLAIN");
        assertThat(new String(withResponse.initialResponse(), StandardCharsets.UTF_8)).isEqualTo("\0fred\0secret");
        assertThat(((Command.Authenticate) Wire.parse("AUTHENTICATE EXTERNAL =")).initialResponse()).isEmpty();
        assertThat(Wire.refuse("AUTHENTICATE PLAIN a$b").text()).startsWith("Initial response is not BASE64");
    }

    @Test
    void login() {
        assertThat(Wire.parse("LOGIN fred \"se cr\\\"et\"")).isEqualTo(new Command.Login("fred", "se cr\"et"));
        assertThat(Wire.parse("LOGIN \"fr\u00e9d\" p")).isEqualTo(new Command.Login("fr\u00e9d", "p"));
        assertThat(new Wire("A1 LOGIN \"fr\u00ffd\" p\r\n".getBytes(StandardCharsets.ISO_8859_1), ReaderLimits.DEFAULT)
                .refused().text()).isEqualTo("String is not valid UTF-8, but found \"\\\"fr\\xffd\\\" p\"");
        assertThat(Wire.refuse("LOGIN fred").kind()).isEqualTo(StatusResponse.Kind.BAD);
    }

    @Test
    void enable() {
        assertThat(Wire.parse("ENABLE CONDSTORE UTF8=ACCEPT")).isEqualTo(new Command.Enable(List.of("CONDSTORE", "UTF8=ACCEPT")));
        assertThat(Wire.refuse("ENABLE").text()).isEqualTo("Expected a space, but the command ended");
    }

    @Test
    void selectAndExamineWithCondstoreAndQresync() {
        assertThat(Wire.parse("SELECT inbox")).isEqualTo(new Command.Select("INBOX", false, false, null));
        assertThat(Wire.parse("EXAMINE Archive (CONDSTORE)")).isEqualTo(new Command.Select("Archive", true, true, null));
        assertThat(Wire.parse("SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))"))
                .isEqualTo(new Command.Select("INBOX", false, false, new Command.QResync(67890007, 20050715194045000L,
                        SequenceSet.parse("41,43:211,214:541"), null, null)));
        assertThat(Wire.parse("SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))"))
                .isEqualTo(new Command.Select("INBOX", false, false, new Command.QResync(67890007, 90060115194045000L,
                        SequenceSet.parse("1:29997"), SequenceSet.parse("5000,7500,9000,9990:9999"),
                        SequenceSet.parse("15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997"))));
        assertThat(Wire.parse("SELECT INBOX (QRESYNC (1 2 (3 4)))")).isEqualTo(new Command.Select("INBOX", false, false,
                new Command.QResync(1, 2, null, SequenceSet.parse("3"), SequenceSet.parse("4"))));
        assertThat(Wire.refuse("SELECT INBOX (FAST)").text()).isEqualTo("Unknown SELECT parameter FAST");
        assertThat(Wire.refuse("SELECT INBOX (QRESYNC (0 1))").text()).isEqualTo("0 is not allowed here, but found \" 1))\"");
    }

    @Test
    void createWithSpecialUse() {
        assertThat(Wire.parse("CREATE Sent")).isEqualTo(new Command.Create("Sent", List.of()));
        assertThat(Wire.parse("CREATE MySpecial (USE (\\Drafts \\Sent))"))
                .isEqualTo(new Command.Create("MySpecial", List.of("\\Drafts", "\\Sent")));
        assertThat(Wire.refuse("CREATE x (MAGIC (1))").text()).isEqualTo("Unknown CREATE parameter MAGIC");
    }

    @Test
    void mailboxCommands() {
        assertThat(Wire.parse("DELETE \"old stuff\"")).isEqualTo(new Command.Delete("old stuff"));
        assertThat(Wire.parse("RENAME a {1}\r\nb")).isEqualTo(new Command.Rename("a", "b"));
        assertThat(Wire.parse("SUBSCRIBE news")).isEqualTo(new Command.Subscribe("news"));
        assertThat(Wire.parse("UNSUBSCRIBE news")).isEqualTo(new Command.Unsubscribe("news"));
        assertThat(Wire.refuse("RENAME a").text()).isEqualTo("Expected a space, but the command ended");
        assertThat(Wire.refuse("DELETE (x)").text()).isEqualTo("Expected a string, but found \"(x)\"");
    }

    @Test
    void status() {
        assertThat(Wire.parse("STATUS blurdybloop (UIDNEXT MESSAGES size deleted HIGHESTMODSEQ APPENDLIMIT RECENT UNSEEN UIDVALIDITY DELETED-STORAGE)"))
                .isEqualTo(new Command.Status("blurdybloop", List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES,
                        StatusItem.SIZE, StatusItem.DELETED, StatusItem.HIGHESTMODSEQ, StatusItem.APPENDLIMIT,
                        StatusItem.RECENT, StatusItem.UNSEEN, StatusItem.UIDVALIDITY, StatusItem.DELETED_STORAGE)));
        assertThat(Wire.refuse("STATUS x ()").text()).isEqualTo("Expected a STATUS item, but found \")\"");
        assertThat(Wire.refuse("STATUS x (BIGNESS)").text()).isEqualTo("Unknown STATUS item BIGNESS");
    }

    @Test
    void uidExpunge() {
        assertThat(Wire.parse("UID EXPUNGE 3000:3002")).isEqualTo(new Command.Expunge(SequenceSet.parse("3000:3002")));
        assertThat(Wire.refuse("UID EXPUNGE").text()).isEqualTo("Expected a space, but the command ended");
    }

    @Test
    void store() {
        SequenceSet set = SequenceSet.parse("2:4");
        assertThat(Wire.parse("STORE 2:4 +FLAGS (\\Deleted)")).isEqualTo(new Command.Store(false, set,
                OptionalLong.empty(), Command.StoreMode.ADD, false, List.of("\\Deleted")));
        assertThat(Wire.parse("UID STORE 2:4 -flags.silent \\Seen $Junk")).isEqualTo(new Command.Store(true, set,
                OptionalLong.empty(), Command.StoreMode.REMOVE, true, List.of("\\Seen", "$Junk")));
        assertThat(Wire.parse("STORE 2:4 FLAGS ()")).isEqualTo(new Command.Store(false, set,
                OptionalLong.empty(), Command.StoreMode.REPLACE, false, List.of()));
        assertThat(Wire.parse("STORE 2:4 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)"))
                .isEqualTo(new Command.Store(false, set, OptionalLong.of(320162338), Command.StoreMode.ADD, true,
                        List.of("\\Deleted")));
        // imaptest "nil": NIL is a keyword like any atom here
        assertThat(((Command.Store) Wire.parse("STORE 1 +FLAGS NIL")).flags()).containsExactly("NIL");
        assertThat(Wire.refuse("STORE 1 +FLAGZ (\\Seen)").text()).isEqualTo("Unknown STORE item +FLAGZ");
        assertThat(Wire.refuse("STORE 1 FLAGS (\\Seen").text()).isEqualTo("Expected \")\", but the command ended");
        assertThat(Wire.refuse("STORE 1 (CHANGEDSINCE 5) FLAGS x").text()).isEqualTo("Unknown STORE modifier CHANGEDSINCE");
        assertThat(Wire.refuse("STORE 0 FLAGS x").text()).isEqualTo("Invalid sequence set: 0 is not a valid message number, but found \"0 FLAGS x\"");
    }

    @Test
    void copyAndMove() {
        assertThat(Wire.parse("COPY 2:4 MEETING")).isEqualTo(new Command.Copy(false, SequenceSet.parse("2:4"), "MEETING"));
        assertThat(Wire.parse("UID MOVE 42:69 foo")).isEqualTo(new Command.Move(true, SequenceSet.parse("42:69"), "foo"));
        assertThat(Wire.parse("MOVE $ Trash")).isEqualTo(new Command.Move(false, SequenceSet.SAVED, "Trash"));
        assertThat(Wire.refuse("COPY x y").text()).isEqualTo("Expected a sequence set, but found \"x y\"");
    }

    @Test
    void quota() {
        assertThat(Wire.parse("GETQUOTA \"\"")).isEqualTo(new Command.GetQuota(""));
        assertThat(Wire.parse("GETQUOTAROOT inbox")).isEqualTo(new Command.GetQuotaRoot("INBOX"));
        assertThat(Wire.parse("SETQUOTA \"\" (STORAGE 512 MESSAGE 1000)")).isEqualTo(new Command.SetQuota("",
                List.of(new Command.QuotaLimit("STORAGE", 512), new Command.QuotaLimit("MESSAGE", 1000))));
        assertThat(Wire.parse("SETQUOTA \"\" ()")).isEqualTo(new Command.SetQuota("", List.of()));
        assertThat(Wire.refuse("SETQUOTA \"\" (STORAGE)").text()).isEqualTo("Expected a space, but found \")\"");
    }

    @Test
    void compress() {
        assertThat(Wire.parse("COMPRESS deflate")).isEqualTo(new Command.Compress("DEFLATE"));
        assertThat(Wire.refuse("COMPRESS").text()).isEqualTo("Expected a space, but the command ended");
    }

    @Test
    void urlauthCommands() {
        assertThat(Wire.parse("GENURLAUTH \"imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred\" INTERNAL"))
                .isEqualTo(new Command.GenUrlAuth(List.of(new Command.UrlAuthRequest(
                        "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred", "INTERNAL"))));
        assertThat(Wire.parse("RESETKEY")).isEqualTo(new Command.ResetKey(null, List.of()));
        assertThat(Wire.parse("RESETKEY INBOX INTERNAL")).isEqualTo(new Command.ResetKey("INBOX", List.of("INTERNAL")));
        String url = "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred:internal:91354a473744909de610943775f92038";
        assertThat(Wire.parse("URLFETCH " + url)).isEqualTo(new Command.UrlFetch(List.of(
                new Command.UrlFetchRequest(url, false, Set.of()))));
        assertThat(Wire.parse("URLFETCH (" + url + " BINARY BODYPARTSTRUCTURE) \"" + url + "\"")).isEqualTo(new Command.UrlFetch(List.of(
                new Command.UrlFetchRequest(url, true, Set.of(Command.UrlFetchParam.BINARY, Command.UrlFetchParam.BODYPARTSTRUCTURE)),
                new Command.UrlFetchRequest(url, false, Set.of()))));
        assertThat(Wire.refuse("URLFETCH (x BINARY BODY)").text()).isEqualTo("URLFETCH cannot ask for both BINARY and BODY");
        assertThat(Wire.refuse("URLFETCH (x SIZE)").text()).isEqualTo("Unknown URLFETCH parameter SIZE");
        assertThat(Wire.refuse("GENURLAUTH \"x\"").text()).isEqualTo("Expected a space, but the command ended");
    }

    @Test
    void notifySetAndNone() {
        assertThat(Wire.parse("NOTIFY NONE")).isEqualTo(new Command.Notify(false, List.of()));
        Command.Notify notify = (Command.Notify) Wire.parse("NOTIFY SET STATUS (selected (MessageNew (uid body.peek[header.fields (from to subject)]) MessageExpunge)) "
                + "(subtree Lists (MessageNew FlagChange)) (mailboxes (a b) NONE) (personal (MailboxName SubscriptionChange Frobbed))");
        assertThat(notify.sendStatus()).isTrue();
        assertThat(notify.groups()).hasSize(4);
        Command.NotifyGroup selected = notify.groups().get(0);
        assertThat(selected.filter()).isEqualTo(Command.NotifyFilter.SELECTED);
        assertThat(selected.events()).extracting(Command.NotifyEvent::type)
                .containsExactly(Command.NotifyEventType.MESSAGE_NEW, Command.NotifyEventType.MESSAGE_EXPUNGE);
        assertThat(selected.events().getFirst().fetchAttributes()).containsExactly(FetchAttribute.Simple.UID,
                new FetchAttribute.BodySection(new Section(List.of(), Section.Text.HEADER_FIELDS, List.of("from", "to", "subject")), true, null));
        assertThat(notify.groups().get(1)).isEqualTo(new Command.NotifyGroup(Command.NotifyFilter.SUBTREE, List.of("Lists"),
                List.of(new Command.NotifyEvent(Command.NotifyEventType.MESSAGE_NEW, List.of()),
                        new Command.NotifyEvent(Command.NotifyEventType.FLAG_CHANGE, List.of()))));
        assertThat(notify.groups().get(2)).isEqualTo(new Command.NotifyGroup(Command.NotifyFilter.MAILBOXES, List.of("a", "b"), List.of()));
        assertThat(notify.groups().get(3).events()).extracting(Command.NotifyEvent::type).containsExactly(
                Command.NotifyEventType.MAILBOX_NAME, Command.NotifyEventType.SUBSCRIPTION_CHANGE, Command.NotifyEventType.OTHER);
        assertThat(Wire.refuse("NOTIFY SET (everything (MessageNew))").text()).isEqualTo("Unknown NOTIFY mailbox filter EVERYTHING");
        assertThat(Wire.refuse("NOTIFY SET (selected)").text()).isEqualTo("Expected a space, but found \")\"");
        assertThat(Wire.refuse("NOTIFY GET").text()).isEqualTo("Expected SET or NONE, but found \"GET\"");
    }

    @Test
    void cancelUpdate() {
        assertThat(Wire.parse("CANCELUPDATE \"B01\" \"B02\"")).isEqualTo(new Command.CancelUpdate(List.of("B01", "B02")));
        assertThat(Wire.refuse("CANCELUPDATE B01").text()).isEqualTo("Expected a quoted string or a literal, but found \"B01\"");
    }
}
