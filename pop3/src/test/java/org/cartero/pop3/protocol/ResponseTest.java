package org.cartero.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTest {

    private static String bytes(Response response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void statusLinesWithAndWithoutCodes() throws IOException {
        assertThat(bytes(Response.ok("2 320"))).isEqualTo("+OK 2 320\r\n");
        assertThat(bytes(Response.ok(""))).isEqualTo("+OK\r\n");
        assertThat(bytes(Response.error("no such message"))).isEqualTo("-ERR no such message\r\n");
        assertThat(bytes(Response.error(ResponseCode.IN_USE, "maildrop in use"))).isEqualTo("-ERR [IN-USE] maildrop in use\r\n");
        assertThat(bytes(Response.error(ResponseCode.SYS_TEMP, "later"))).isEqualTo("-ERR [SYS/TEMP] later\r\n");
        assertThat(bytes(Response.error(ResponseCode.SYS_PERM, "never"))).isEqualTo("-ERR [SYS/PERM] never\r\n");
        assertThat(bytes(Response.error(ResponseCode.AUTH, "bad"))).isEqualTo("-ERR [AUTH] bad\r\n");
        assertThat(bytes(Response.error(ResponseCode.LOGIN_DELAY, "wait"))).isEqualTo("-ERR [LOGIN-DELAY] wait\r\n");
    }

    @Test
    void aStatusLineCannotCarryALineBreakOrACodeOnOk() {
        assertThatThrownBy(() -> Response.error("a\r\n+OK forged")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Response(true, ResponseCode.AUTH, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multilineListingsAreStuffedAndTerminated() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultilineWriter lines = new MultilineWriter(out);
        lines.line("1 120");
        lines.line(".odd");
        lines.end();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1 120\r\n..odd\r\n.\r\n");
    }
}
