package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.cartero.store.mime.AddressParser;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void searchTextHasNamesAndAddresses() {
        assertThat(Addresses.searchText(AddressParser.parse("RealFrom <user-from@domain.org>, other@example.org")))
                .isEqualTo("RealFrom <user-from@domain.org>, other@example.org");
        // a comment after a bare address is its name; comments inside the address are dropped
        assertThat(Addresses.searchText(AddressParser.parse("user@domain.org (Real Name)")))
                .isEqualTo("Real Name <user@domain.org>");
        assertThat(Addresses.searchText(AddressParser.parse("<user (c)@ (c) domain.org>"))).isEqualTo("user@domain.org");
        assertThat(Addresses.searchText(AddressParser.parse("=?iso-8859-1?q?Andr=E9?= <a@b>"))).isEqualTo("André <a@b>");
    }

    @Test
    void searchTextWritesGroups() {
        assertThat(Addresses.searchText(AddressParser.parse("group: a@b, c@d;, group2: e@f;, g@h")))
                .isEqualTo("group: a@b, c@d;, group2: e@f;, g@h");
        assertThat(Addresses.searchText(AddressParser.parse("undisclosed-recipients:;"))).isEqualTo("undisclosed-recipients:;");
    }

    @Test
    void sortKeys() {
        assertThat(Addresses.firstMailbox(AddressParser.parse("Zed <alpha@zulu.org>, beta@a.org"))).isEqualTo("alpha");
        assertThat(Addresses.firstMailbox(AddressParser.parse("user2: blah@domain1.org;"))).isEqualTo("user2");
        assertThat(Addresses.firstMailbox(AddressParser.parse(""))).isEmpty();
        assertThat(Addresses.firstDisplayName(AddressParser.parse("=?iso-8859-1?q?foo_aar?= <e@f.g>"))).isEqualTo("foo aar");
        assertThat(Addresses.firstDisplayName(AddressParser.parse("b@c.d"))).isEqualTo("b@c.d");
        assertThat(Addresses.firstDisplayName(AddressParser.parse("\"\" <b@c.d>"))).isEqualTo("b@c.d");
        assertThat(Addresses.firstDisplayName(AddressParser.parse("a: xx@xx.org, yy@yy.org;"))).isEqualTo("a");
        assertThat(Addresses.firstDisplayName(AddressParser.parse(""))).isEmpty();
    }
}
