package io.canopy.gateway.health;

import io.canopy.core.metrics.Histogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the stats tree of {@code /.metrics.json} in the Prometheus text exposition format (version 0.0.4):
 * every numeric leaf becomes a sample named by its path ({@code canopy_pusher_listeners}), a list becomes one
 * sample per element labelled {@code index} (per partition), a histogram becomes {@code _bucket}/{@code _sum}/
 * {@code _count} series. Booleans are 0/1; strings are left out. One source of truth for both endpoints.
 */
public final class PrometheusFormat {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PREFIX = "canopy";

  private PrometheusFormat() {}

  public static String render(Map<String, Object> stats) {
    StringBuilder out = new StringBuilder(4096);
    walk(PREFIX, stats, out);
    return out.toString();
  }

  private static void walk(String name, Object value, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        walk(name + "_" + sanitize(String.valueOf(e.getKey())), e.getValue(), out);
      }
    } else if (value instanceof Histogram.Snapshot h) {
      histogram(name, h, out);
    } else if (value instanceof List<?> list) {
      boolean typed = false;
      for (int i = 0; i < list.size(); i++) {
        Double v = number(list.get(i));
        if (v != null) {
          if (!typed) {
            out.append("# TYPE ").append(name).append(" gauge\n");
            typed = true;
          }
          out.append(name).append("{index=\"").append(i).append("\"} ").append(format(v)).append('\n');
        }
      }
    } else {
      Double v = number(value);
      if (v != null) {
        out.append("# TYPE ").append(name).append(" untyped\n");
        out.append(name).append(' ').append(format(v)).append('\n');
      }
    }
  }

  private static void histogram(String name, Histogram.Snapshot h, StringBuilder out) {
    String unit = sanitize(h.unit());
    String base = unit.isEmpty() || name.endsWith("_" + unit) ? name : name + "_" + unit;
    out.append("# TYPE ").append(base).append(" histogram\n");
    long cumulative = 0;
    for (int i = 0; i < h.bounds().length; i++) {
      cumulative += h.counts()[i];
      out.append(base).append("_bucket{le=\"").append(format(h.bounds()[i])).append("\"} ").append(cumulative)
          .append('\n');
    }
    cumulative += h.counts()[h.bounds().length];
    out.append(base).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    out.append(base).append("_sum ").append(format(h.sum())).append('\n');
    out.append(base).append("_count ").append(h.count()).append('\n');
  }

  private static Double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    return null;
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  /** A metric-name fragment: camelCase becomes snake_case, anything outside [a-zA-Z0-9_] an underscore. */
  static String sanitize(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && c < 128) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        sb.append(c);
      } else {
        sb.append('_');
      }
    }
    return sb.toString();
  }

  /** The stats tree with histograms replaced by their JSON summaries, for {@code /.metrics.json}. */
  @SuppressWarnings("unchecked")
  static Object forJson(Object value) {
    if (value instanceof Histogram.Snapshot h) {
      return h.toMap();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), forJson(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(PrometheusFormat::forJson).toList();
    }
    return value;
  }
}
