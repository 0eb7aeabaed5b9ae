package io.canopy.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class V5ClientTest {
    @Test
    void longAfterReadsTheNumberAfterAKey() {
        String push = "{\"t\":\"d\",\"d\":{\"b\":{\"p\":\"bench/fan/1\",\"d\":{\"n\":1234,\"ts\":-5}},\"a\":\"d\"}}";
        assertThat(V5Client.longAfter(push, "\"n\":")).isEqualTo(1234);
        assertThat(V5Client.longAfter(push, "\"ts\":")).isEqualTo(-5);
        assertThat(V5Client.longAfter(push, "\"x\":")).isEqualTo(-1);
        assertThat(V5Client.longAfter("{\"n\": 7}", "\"n\":")).isEqualTo(7);
        assertThat(V5Client.longAfter("{\"n\":null}", "\"n\":")).isEqualTo(-1);
    }
}
