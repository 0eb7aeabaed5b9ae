package io.canopy.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.metrics.Histogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusFormatTest {

  @Test
  void leavesListsAndHistogramsBecomeSeries() {
    Histogram h = Histogram.latencyMillis();
    h.record(0.3);
    h.record(3);
    h.record(3);
    h.record(20_000);
    Map<String, Object> pusher = new LinkedHashMap<>();
    pusher.put("listeners", 12);
    pusher.put("feedFailed", false);
    pusher.put("changeToPushMs", h.snapshot());
    pusher.put("note", "ignored");
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("pusher", pusher);
    stats.put("bufferedChanges", List.of(3, 0));
    stats.put("writesPerFlush", 1.5);

    String text = PrometheusFormat.render(stats);
    assertThat(text).contains("# TYPE canopy_pusher_listeners untyped\ncanopy_pusher_listeners 12\n");
    assertThat(text).contains("canopy_pusher_feed_failed 0\n");
    assertThat(text).doesNotContain("note");
    assertThat(text).contains("canopy_buffered_changes{index=\"0\"} 3\n", "canopy_buffered_changes{index=\"1\"} 0\n");
    assertThat(text).contains("canopy_writes_per_flush 1.5\n");
    assertThat(text).contains("# TYPE canopy_pusher_change_to_push_ms histogram\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_bucket{le=\"0.25\"} 0\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_bucket{le=\"0.5\"} 1\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_bucket{le=\"5\"} 3\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_bucket{le=\"10000\"} 3\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_bucket{le=\"+Inf\"} 4\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_count 4\n");
    assertThat(text).contains("canopy_pusher_change_to_push_ms_sum 20006.3\n");
    for (String line : text.split("\n")) {
      assertThat(line).matches("# TYPE [a-z_]+ (untyped|gauge|histogram)|[a-z_]+(\\{[a-z]+=\"[^\"]+\"\\})? [0-9.E+-]+");
    }
  }

  @Test
  void histogramsBecomeSummariesInJson() {
    Histogram h = Histogram.sizes("writes");
    for (int i = 1; i <= 100; i++) {
      h.record(i);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) PrometheusFormat.forJson(Map.of("batch", h.snapshot()));
    @SuppressWarnings("unchecked")
    Map<String, Object> batch = (Map<String, Object>) json.get("batch");
    assertThat(batch).containsEntry("count", 100L).containsEntry("mean", 50.5).containsEntry("p50", 50.0)
        .containsEntry("p99", 100.0).containsEntry("unit", "writes");
  }

  @Test
  void namesAreSnakeCase() {
    assertThat(PrometheusFormat.sanitize("writeLatencyMs")).isEqualTo("write_latency_ms");
    assertThat(PrometheusFormat.sanitize("a-b.c")).isEqualTo("a_b_c");
  }
}
