package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WsParamsTest {

  @Test
  void jsClientUrl() {
    WsParams p = WsParams.parse("v=5&r=f&s=TSID&ls=abc-_1&ac=x.y.z&p=1:123:web:abc&ns=my-proj-default-rtdb");
    assertThat(p).isEqualTo(new WsParams("my-proj-default-rtdb", "5", "abc-_1", "TSID", "1:123:web:abc", "x.y.z"));
  }

  @Test
  void javaClientUrl() {
    assertThat(WsParams.parse("ns=demo&v=5")).isEqualTo(new WsParams("demo", "5", null, null, null, null));
  }

  @Test
  void lenientAboutEncodingRepeatsAndJunk() {
    assertThat(WsParams.parse(null)).isEqualTo(WsParams.NONE);
    assertThat(WsParams.parse("")).isEqualTo(WsParams.NONE);
    assertThat(WsParams.parse("ns=a%2Db&ns=second").ns()).isEqualTo("a-b");
    assertThat(WsParams.parse("ns=100%&v").ns()).as("invalid escape kept raw").isEqualTo("100%");
    assertThat(WsParams.parse("ns=a+b").ns()).as("a plus is a plus").isEqualTo("a+b");
    assertThat(WsParams.parse("&&=x&ns&unknown=1").ns()).isEmpty();
  }
}
