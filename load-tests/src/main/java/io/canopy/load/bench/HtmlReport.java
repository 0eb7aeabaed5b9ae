package io.canopy.load.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The self-contained HTML report: one file, no network. The results document is embedded as JSON and a small
 * script in the page draws the tables and SVG charts (latency over time, percentile curves) from it.
 */
public final class HtmlReport {
    static final String TEMPLATE = "report-template.html";
    static final String PLACEHOLDER = "/*RESULTS*/null";

    private HtmlReport() {
    }

    public static String render(JsonNode results) {
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(results);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Inside <script>, "</" could close the element: escape it (JSON allows "\/").
        json = json.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        return template().replace(PLACEHOLDER, json);
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
