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

  @Test
  @SuppressWarnings("unchecked")
  void countsWebSocketTraffic() {
    GatewayMetrics m = new GatewayMetrics();
    m.webSocketOpened();
    m.webSocketOpened();
    m.webSocketClosed();
    m.webSocketMessageIn(1);
    m.webSocketMessageIn(3);
    m.webSocketMessageOut(1);
    m.webSocketMessageOut(8);
    m.webSocketRequest("q");
    m.webSocketRequest("q");

    Map<String, Object> ws = (Map<String, Object>) m.snapshot().get("webSocket");
    assertThat(ws).containsEntry("open", 1L).containsEntry("opened", 2L).containsEntry("messagesIn", 2L)
        .containsEntry("splitMessagesIn", 1L).containsEntry("messagesOut", 2L).containsEntry("splitMessagesOut", 1L)
        .containsEntry("framesOut", 9L);
    assertThat((Map<String, Long>) ws.get("requests")).containsEntry("q", 2L);
  }
}
