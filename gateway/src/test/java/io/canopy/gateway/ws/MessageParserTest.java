package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.gateway.ws.ClientMessage.Control;
import io.canopy.gateway.ws.ClientMessage.Request;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageParserTest {

  private static Request request(String json) {
    ClientMessage m = MessageParser.parse(json);
    assertThat(m).as(json).isInstanceOf(Request.class);
    return (Request) m;
  }

  private static Unusable unusable(String json) {
    ClientMessage m = MessageParser.parse(json);
    assertThat(m).as(json).isInstanceOf(Unusable.class);
    return (Unusable) m;
  }

  @Test
  void controlPing() {
    assertThat(MessageParser.parse("{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}")).isEqualTo(new Control("p"));
  }

  @Test
  void listenWithQueryAndTag() {
    Request r = request("{\"t\":\"d\",\"d\":{\"r\":2,\"a\":\"q\",\"b\":{\"p\":\"/a/b\",\"h\":\"\","
        + "\"q\":{\"sp\":1,\"sn\":\"k\",\"l\":5,\"vf\":\"l\",\"i\":\".value\",\"x\":[1,{\"y\":null}]},\"t\":3}}}");
    assertThat(r.r()).isEqualTo(2);
    assertThat(r.action()).isEqualTo("q");
    assertThat(r.path()).isEqualTo("/a/b");
    assertThat(r.hash()).isEmpty();
    assertThat(r.tag()).isEqualTo(3L);
    assertThat(r.query()).containsEntry("sp", 1L).containsEntry("sn", "k").containsEntry("l", 5L)
        .containsEntry("vf", "l").containsEntry("i", ".value").containsKey("x");
  }

  @Test
  void putDataIsParsedAsATree() {
    Request r = request("{\"t\":\"d\",\"d\":{\"r\":7,\"a\":\"p\",\"b\":{\"p\":\"/counter\","
        + "\"d\":{\"count\":1,\"at\":{\".sv\":\"timestamp\"},\"list\":[\"a\",\"b\"]},"
        + "\"h\":\"cl67ch5UmlAYLMHpo01qE7xefBY=\"}}}");
    assertThat(r.r()).isEqualTo(7);
    assertThat(r.hash()).isEqualTo("cl67ch5UmlAYLMHpo01qE7xefBY=");
    assertThat(TreeJson.write(r.data(), true))
        .isEqualTo("{\"at\":{\".sv\":\"timestamp\"},\"count\":1,\"list\":{\"0\":\"a\",\"1\":\"b\"}}");
  }

  @Test
  void nullDataIsADelete() {
    Request r = request("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"p\",\"b\":{\"p\":\"/x\",\"d\":null}}}");
    assertThat(r.data()).isEqualTo(Node.empty());
  }

  @Test
  void mergeKeysMayBePaths() {
    Request r = request("{\"t\":\"d\",\"d\":{\"r\":3,\"a\":\"m\",\"b\":{\"p\":\"/\",\"d\":{\"a/b\":1,\"c\":null,"
        + "\"d/.priority\":2}}}}");
    assertThat(r.update()).containsOnlyKeys(Path.parse("a/b"), Path.parse("c"), Path.parseWrite("d/.priority"));
    assertThat(r.update().get(Path.parse("c"))).isEqualTo(Node.empty());
  }

  @Test
  void keyOrderDoesNotMatter() {
    // the Java SDK serialises hash maps: "a" before "r", and the body may even come first
    Request java = request("{\"d\":{\"a\":\"m\",\"r\":0,\"b\":{\"d\":{\"x/y\":true},\"p\":\"q\"}},\"t\":\"d\"}");
    assertThat(java.r()).isZero();
    assertThat(java.update()).containsOnlyKeys(Path.parse("x/y"));
    Request bodyFirst = request("{\"t\":\"d\",\"d\":{\"b\":{\"p\":\"/q\",\"d\":{\"x/y\":true}},\"r\":4,\"a\":\"om\"}}");
    assertThat(bodyFirst.update()).containsOnlyKeys(Path.parse("x/y"));
    Request setFirst = request("{\"t\":\"d\",\"d\":{\"b\":{\"d\":{\"k\":[1]},\"p\":\"/q\"},\"a\":\"o\",\"r\":5}}");
    assertThat(TreeJson.write(setFirst.data(), true)).isEqualTo("{\"k\":{\"0\":1}}");
  }

  @Test
  void anIntegralFloatIsAValidRequestNumber() {
    assertThat(request("{\"t\":\"d\",\"d\":{\"r\":5.0,\"a\":\"s\",\"b\":{}}}").r()).isEqualTo(5);
  }

  @Test
  void badDataIsAnErrorOnTheRequestAndTheRestIsStillRead() {
    Unusable u = unusable("{\"t\":\"d\",\"d\":{\"a\":\"p\",\"b\":{\"p\":\"/x\",\"d\":{\"a\":{\"b.c\":1,\"z\":[1,2]},"
        + "\"q\":2}},\"r\":9}}");
    assertThat(u.r()).isEqualTo(9);
    assertThat(u.code()).isEqualTo(ErrorCode.INVALID_DATA);
    assertThat(u.message()).contains("b.c");

    Unusable badMerge = unusable("{\"t\":\"d\",\"d\":{\"a\":\"m\",\"b\":{\"d\":{\"ok\":1,\"bad#\":{\"deep\":[1]}},"
        + "\"p\":\"/\"},\"r\":10}}");
    assertThat(badMerge.r()).isEqualTo(10);
    assertThat(badMerge.code()).isEqualTo(ErrorCode.INVALID_PATH);
  }

  @Test
  void invalidJsonAfterTheRequestNumberIsStillAnsweredOnIt() {
    Unusable u = unusable("{\"t\":\"d\",\"d\":{\"r\":11,\"a\":\"p\",\"b\":{\"p\":\"/x\",\"d\":{\"a\":");
    assertThat(u.r()).isEqualTo(11);
    assertThat(u.code()).isEqualTo(ErrorCode.INVALID_DATA);
    assertThat(u.message()).startsWith("Invalid JSON");
  }

  @Test
  void withoutARequestNumberThereIsNobodyToAnswer() {
    assertThat(unusable("not json").r()).isNull();
    assertThat(unusable("[1,2]").r()).isNull();
    assertThat(unusable("{\"t\":\"d\",\"d\":{\"a\":\"s\",\"b\":{}}}").r()).isNull();
    assertThat(unusable("{\"t\":\"d\",\"d\":{\"r\":\"1\",\"a\":\"s\"}}").r()).isNull();
    assertThat(unusable("{\"t\":\"d\",\"d\":{\"r\":1.5,\"a\":\"s\"}}").r()).isNull();
  }

  @Test
  void structuralProblemsWithARequestNumberAreAnswered() {
    assertThat(unusable("{\"t\":\"d\",\"d\":{\"r\":1,\"b\":{}}}").r()).isEqualTo(1);
    assertThat(unusable("{\"t\":\"x\",\"d\":{\"r\":2,\"a\":\"s\"}}").r()).isEqualTo(2);
    Unusable noData = unusable("{\"t\":\"d\",\"d\":{\"r\":3,\"a\":\"p\",\"b\":{\"p\":\"/x\"}}}");
    assertThat(noData.r()).isEqualTo(3);
    assertThat(noData.message()).contains("no data");
    Unusable badPath = unusable("{\"t\":\"d\",\"d\":{\"r\":4,\"a\":\"q\",\"b\":{\"p\":5}}}");
    assertThat(badPath.code()).isEqualTo(ErrorCode.INVALID_PATH);
    Unusable badQuery = unusable("{\"t\":\"d\",\"d\":{\"r\":5,\"a\":\"q\",\"b\":{\"p\":\"/\",\"q\":[]}}}");
    assertThat(badQuery.code()).isEqualTo(ErrorCode.INVALID_QUERY);
    Unusable trailing = unusable("{\"t\":\"d\",\"d\":{\"r\":6,\"a\":\"s\",\"b\":{}}} {}");
    assertThat(trailing.r()).isEqualTo(6);
  }

  @Test
  void otherActionsIgnoreTheirBodyData() {
    Request auth = request("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"gauth\",\"b\":{\"cred\":\"owner\","
        + "\"authvar\":{\"uid\":\"u\"}}}}");
    assertThat(auth.action()).isEqualTo("gauth");
    Request cancel = request("{\"t\":\"d\",\"d\":{\"r\":2,\"a\":\"oc\",\"b\":{\"p\":\"/a\",\"d\":null}}}");
    assertThat(cancel.data()).isNull();
    assertThat(cancel.path()).isEqualTo("/a");
  }

  @Test
  void tooBigFindsTheRequestNumberInThePrefix() {
    Unusable u =
        MessageParser.tooBig("{\"t\":\"d\",\"d\":{\"r\":42,\"a\":\"p\",\"b\":{\"p\":\"/big\",\"d\":\"xxxx", 100);
    assertThat(u.r()).isEqualTo(42);
    assertThat(u.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(u.code().wire()).isEqualTo("too_big");
    assertThat(MessageParser.tooBig("garbage", 100).r()).isNull();
  }

  @Test
  void queryValuesKeepTheirJsonTypes() {
    Request r = request("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"g\",\"b\":{\"p\":\"/\",\"q\":{\"sp\":1.5,\"ep\":true,"
        + "\"en\":null}}}}");
    assertThat(r.query()).isEqualTo(mapOf("sp", 1.5, "ep", true, "en", null));
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
