package io.canopy.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.KeyOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The protocol-v5 query object: parsing, canonical serialisation and identity. */
class QuerySpecWireTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String json) {
    try {
      return MAPPER.readValue(json.replace('\'', '"'), Map.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static QuerySpec parse(String json) {
    return QuerySpec.fromWire(json(json));
  }

  private static String wire(QuerySpec q) {
    try {
      return MAPPER.writeValueAsString(q.toWire()).replace('"', '\'');
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void emptyObjectIsTheDefaultQuery() {
    assertThat(parse("{}")).isEqualTo(QuerySpec.DEFAULT);
    assertThat(QuerySpec.fromWire(null)).isEqualTo(QuerySpec.DEFAULT);
    assertThat(QuerySpec.DEFAULT.isDefault()).isTrue();
    assertThat(QuerySpec.DEFAULT.toWire()).isEmpty();
  }

  @Test
  void jsRoundTrips() {
    String[] objects = {
        "{'i':'.key'}",
        "{'i':'.value','sp':0,'ep':'abc'}",
        "{'i':'s','sp':1,'sn':'e','sin':false}",
        "{'i':'.value','sp':true,'sn':'[MAX_NAME]','sin':false}",
        "{'i':'s','ep':true,'en':'[MIN_NAME]','ein':false}",
        "{'i':'.key','ep':'a','ein':false}",
        "{'i':'.key','sp':'1'}",
        "{'i':'s','sp':1,'sn':'i','ep':1,'en':'i'}",
        "{'i':'s','l':3,'vf':'r'}",
        "{'sp':5,'l':2,'vf':'l'}",
        "{'i':'a/b','sp':null,'ep':null}",
        "{'i':'.value','sp':1.5,'ep':1.0E21}",
        "{'i':'.value','sp':-2,'ep':9007199254740992}",
    };
    for (String o : objects) {
      QuerySpec q = parse(o);
      assertThat(wire(q)).as(o).isEqualTo(o);
      assertThat(QuerySpec.fromWire(q.toWire())).as(o).isEqualTo(q).hasSameHashCodeAs(q);
    }
  }

  @Test
  void absentFlagsAndNamesTakeTheirDefaults() {
    QuerySpec q = parse("{'i':'s','sp':1,'ep':2}");
    assertThat(q.start()).isEqualTo(new QuerySpec.Bound(1.0, KeyOrder.MIN_NAME, true));
    assertThat(q.end()).isEqualTo(new QuerySpec.Bound(2.0, KeyOrder.MAX_NAME, true));
    assertThat(parse("{'i':'s','sp':1,'sin':true,'sn':'[MIN_NAME]','ep':2,'ein':true,'en':'[MAX_NAME]'}"))
        .isEqualTo(q);
  }

  @Test
  void javaStyleObjectsWithoutSinEin() {
    // firebase-admin-java never sends sin/ein and may send integral numbers as 5.0 or longs
    QuerySpec java = parse("{'i':'score','sp':5.0,'sn':'k1','ep':10,'l':3,'vf':'l'}");
    QuerySpec js = parse("{'i':'score','sp':5,'sn':'k1','sin':true,'ep':10.0,'ein':true,'l':3,'vf':'l'}");
    assertThat(java).isEqualTo(js).hasSameHashCodeAs(js);
    assertThat(wire(java)).isEqualTo("{'i':'score','sp':5,'sn':'k1','ep':10,'l':3,'vf':'l'}");
    Map<String, Object> m = new HashMap<>();
    m.put("i", "score");
    m.put("sp", 5L);
    m.put("ep", 10);
    m.put("l", 3L);
    m.put("vf", "l");
    assertThat(QuerySpec.fromWire(m)).isEqualTo(parse("{'i':'score','sp':5,'ep':10,'l':3,'vf':'l'}"));
  }

  @Test
  void nullStartValueIsAStart() {
    QuerySpec q = parse("{'i':'s','sp':null}");
    assertThat(q.hasStart()).isTrue();
    assertThat(q.start().value()).isNull();
    assertThat(q.isDefault()).isFalse();
    assertThat(wire(q)).isEqualTo("{'i':'s','sp':null}");
  }

  @Test
  void plainLimitTakesItsDirectionFromTheStart() {
    assertThat(parse("{'l':5}").viewFrom()).isEqualTo(QuerySpec.ViewFrom.RIGHT);
    assertThat(parse("{'sp':1,'l':5}").viewFrom()).isEqualTo(QuerySpec.ViewFrom.LEFT);
    assertThat(parse("{'ep':1,'l':5}").viewFrom()).isEqualTo(QuerySpec.ViewFrom.RIGHT);
    assertThat(wire(parse("{'l':5}"))).isEqualTo("{'l':5,'vf':'r'}");
    assertThat(parse("{'l':5.0,'vf':'l'}").limit()).isEqualTo(5);
  }

  @Test
  void negativeZeroIsZero() {
    assertThat(parse("{'i':'.value','sp':-0.0}")).isEqualTo(parse("{'i':'.value','sp':0}"));
  }

  @Test
  void keyIndexIgnoresNames() {
    assertThat(parse("{'i':'.key','sp':'a','sn':'x'}")).isEqualTo(parse("{'i':'.key','sp':'a'}"));
  }

  @Test
  void fieldOrderAndUnknownFieldsDoNotMatter() {
    Map<String, Object> a = new LinkedHashMap<>(json("{'vf':'r','l':2,'ep':3,'i':'s'}"));
    a.put("zz", "ignored");
    assertThat(QuerySpec.fromWire(a)).isEqualTo(parse("{'i':'s','ep':3,'l':2,'vf':'r'}"));
  }

  @Test
  void differentQueriesDiffer() {
    assertThat(parse("{'i':'s','l':2,'vf':'r'}")).isNotEqualTo(parse("{'i':'s','l':2,'vf':'l'}"));
    assertThat(parse("{'i':'s','sp':1}")).isNotEqualTo(parse("{'i':'s','sp':'1'}"));
    assertThat(parse("{'i':'s','sp':1}")).isNotEqualTo(parse("{'i':'s','sp':1,'sin':false}"));
    assertThat(parse("{'i':'s','sp':1}")).isNotEqualTo(parse("{'i':'t','sp':1}"));
    assertThat(parse("{'i':'.priority'}")).isEqualTo(QuerySpec.DEFAULT);
  }

  @Test
  void malformedObjectsAreInvalidQueries() {
    String[] bad = {
        "{'i':5}", "{'i':'a.b'}", "{'i':''}", "{'sp':{'a':1}}", "{'sp':[1]}", "{'sn':5}", "{'sp':1,'sin':'no'}", "{'ep':1,'ein':0}",
        "{'l':0}", "{'l':-1}", "{'l':1.5}", "{'l':'3'}", "{'l':2,'vf':'x'}", "{'i':'.key','sp':1}",
        "{'i':'.key','ep':null}",
    };
    for (String b : bad) {
      assertThatThrownBy(() -> parse(b)).as(b)
          .isInstanceOf(CanopyException.class)
          .extracting(e -> ((CanopyException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY);
    }
  }

  @Test
  void randomQueriesRoundTripThroughJson() throws Exception {
    Random r = new Random(3);
    for (int i = 0; i < 500; i++) {
      QuerySpec q = RandomTrees.spec(r);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = MAPPER.readValue(MAPPER.writeValueAsString(q.toWire()), Map.class);
      assertThat(QuerySpec.fromWire(m)).isEqualTo(q);
      assertThat(QuerySpec.fromWire(q.toWire())).isEqualTo(q);
    }
  }
}
