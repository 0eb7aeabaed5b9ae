package io.canopy.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  @Test
  @SuppressWarnings("unchecked")
  void countsRequestsAndWrites() {
    GatewayMetrics m = new GatewayMetrics();
    m.request("GET");
    m.request("GET");
    m.request("PUT");
    m.writeAccepted(TimeUnit.MILLISECONDS.toNanos(2));
    m.writeRejected(TimeUnit.MILLISECONDS.toNanos(4));
    m.writeFailed();

    Map<String, Object> s = m.snapshot();
    assertThat((Map<String, Long>) s.get("requests")).containsEntry("GET", 2L).containsEntry("PUT", 1L);
    assertThat((Map<String, Object>) s.get("writes"))
        .containsEntry("accepted", 1L).containsEntry("rejected", 1L).containsEntry("failed", 1L);
    Map<String, Object> latency = (Map<String, Object>) s.get("writeLatencyMs");
    assertThat(latency).containsEntry("count", 2L).containsEntry("mean", 3.0).containsEntry("max", 4.0);
  }
}
