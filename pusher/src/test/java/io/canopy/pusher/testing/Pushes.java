package io.canopy.pusher.testing;

import io.canopy.core.json.TreeJson;
import io.canopy.pusher.DataPush;
import java.util.Map;
import java.util.TreeMap;

/** Readable forms of pushes for assertions. */
public final class Pushes {
  private Pushes() {}

  /** "d /path json" or "m /path {rel=json, ...}", plus " #tag" for tagged pushes. */
  public static String show(DataPush push) {
    String tag = push.tag() == null ? "" : " #" + push.tag();
    if (push.isMerge()) {
      Map<String, String> sorted = new TreeMap<>();
      push.mergeChildren().forEach((k, v) -> sorted.put(k, TreeJson.write(v, true)));
      return "m " + push.path() + " " + sorted + tag;
    }
    return "d " + push.path() + " " + TreeJson.write(push.data(), true) + tag;
  }
}
