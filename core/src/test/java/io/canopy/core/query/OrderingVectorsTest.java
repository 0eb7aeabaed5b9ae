package io.canopy.core.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every entry of vectors/ordering.json (computed by the official JS SDK) through the builder, engine and view. */
class OrderingVectorsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode vectors() throws IOException {
    try (InputStream in = OrderingVectorsTest.class.getResourceAsStream("/vectors/ordering.json")) {
      assertThat(in).as("vectors/ordering.json on the test classpath").isNotNull();
      return MAPPER.readTree(in);
    }
  }

  /** Maps the SDK calls of one vector query onto the builder. */
  static QuerySpec toSpec(JsonNode query) {
    QuerySpec.Builder b = QuerySpec.builder();
    int i = 0;
    String order = query.get(i++).asText();
    switch (order) {
      case "orderByKey" -> b.orderByKey();
      case "orderByValue" -> b.orderByValue();
      case "orderByPriority" -> b.orderByPriority();
      case "orderByChild" -> b.orderByChild(query.get(i++).asText());
      default -> throw new AssertionError("unknown orderBy " + order);
    }
    for (; i < query.size(); i++) {
      JsonNode call = query.get(i);
      String name = call.get(0).asText();
      Object value = call.size() > 1 ? scalar(call.get(1)) : null;
      String key = call.size() > 2 ? call.get(2).asText() : null;
      switch (name) {
        case "startAt" -> b.startAt(value, key);
        case "startAfter" -> b.startAfter(value, key);
        case "endAt" -> b.endAt(value, key);
        case "endBefore" -> b.endBefore(value, key);
        case "equalTo" -> b.equalTo(value, key);
        case "limitToFirst" -> b.limitToFirst(call.get(1).asInt());
        case "limitToLast" -> b.limitToLast(call.get(1).asInt());
        default -> throw new AssertionError("unknown call " + name);
      }
    }
    return b.build();
  }

  private static Object scalar(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return n.asText();
  }

  @TestFactory
  Stream<DynamicTest> everyVector() throws IOException {
    JsonNode root = vectors();
    JsonNode datasets = root.get("datasets");
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (JsonNode r : root.get("results")) {
      String data = r.get("data").asText();
      JsonNode query = r.get("query");
      List<String> expected = new ArrayList<>();
      r.get("keys").forEach(k -> expected.add(k.asText()));
      tests.add(DynamicTest.dynamicTest("#" + (n++) + " " + data + " " + query, () -> {
        Node node = TreeJson.parse(MAPPER.writeValueAsString(datasets.get(data)));
        QuerySpec spec = toSpec(query);

        assertThat(QueryEngine.orderedKeys(spec, node)).containsExactlyElementsOf(expected);

        Node result = QueryEngine.apply(spec, node);
        List<String> resultKeys = new ArrayList<>();
        result.forEachChild((k, c) -> {
          resultKeys.add(k);
          assertThat(c).isEqualTo(node.child(k));
        });
        assertThat(new HashSet<>(resultKeys)).isEqualTo(new HashSet<>(expected));

        // the same query after a trip over the wire
        Map<String, Object> wire = MAPPER.readValue(MAPPER.writeValueAsString(spec.toWire()),
            new TypeReference<Map<String, Object>>() {});
        QuerySpec again = QuerySpec.fromWire(wire);
        assertThat(again).isEqualTo(spec);
        assertThat(QueryEngine.orderedKeys(again, node)).containsExactlyElementsOf(expected);

        // a view built on the data, and one grown child by child
        assertThat(new QueryView(spec, node).keys()).containsExactlyElementsOf(expected);
        QueryView grown = new QueryView(spec, Node.empty());
        node.forEachChild(grown::updateChild);
        assertThat(grown.keys()).containsExactlyElementsOf(expected);
      }));
    }
    assertThat(tests).hasSize(root.get("results").size()).isNotEmpty();
    return tests.stream();
  }

  @Test
  void everyResultNamesAKnownDataset() throws IOException {
    JsonNode root = vectors();
    assertThat(root.get("results").size()).isPositive();
    for (JsonNode r : root.get("results")) {
      assertThat(root.get("datasets").has(r.get("data").asText())).as(r.toString()).isTrue();
    }
  }
}
