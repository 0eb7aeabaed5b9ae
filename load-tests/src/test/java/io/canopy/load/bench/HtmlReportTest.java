package io.canopy.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void embedsTheResultsAndNeedsNoNetwork() {
        ObjectNode results = JsonNodeFactory.instance.objectNode();
        results.put("mode", "quick");
        results.put("evil", "</script><script>alert(1)</script>");
        String html = HtmlReport.render(results);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("\"mode\":\"quick\"")
            .doesNotContain(HtmlReport.PLACEHOLDER)
            .contains("<\\/script><script>alert(1)<\\/script>")
            .doesNotContain("src=\"http", "href=\"http", "cdn");
        assertThat(html.indexOf("</script>")).isEqualTo(html.lastIndexOf("</script>")); // only the page's own
        assertThat(html).contains("percentile distribution", "latency over time");
    }
}
