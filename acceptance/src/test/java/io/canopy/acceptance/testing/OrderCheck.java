package io.canopy.acceptance.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that several clients saw the changes of one path in one order. Each client reports the distinct change
 * ids it observed, in observation order. A client may miss ids (coalesced updates), but two clients must never
 * disagree on the order of two ids, no id may come back after another one replaced it, and there must be one total
 * order that every client's sequence is a subsequence of.
 */
public final class OrderCheck {
  private OrderCheck() {}

  /** Drops consecutive repeats (a value event that did not change the id). */
  public static List<String> distinctRuns(List<String> observed) {
    List<String> out = new ArrayList<>();
    for (String s : observed) {
      if (s != null && (out.isEmpty() || !out.get(out.size() - 1).equals(s))) {
        out.add(s);
      }
    }
    return out;
  }

  /** Empty if consistent; otherwise a description of the first violation found. */
  public static Optional<String> violation(Map<String, List<String>> sequences) {
    Map<String, List<String>> runs = new LinkedHashMap<>();
    sequences.forEach((client, seq) -> runs.put(client, distinctRuns(seq)));

    for (Map.Entry<String, List<String>> e : runs.entrySet()) {
      Map<String, Integer> seen = new HashMap<>();
      List<String> seq = e.getValue();
      for (int i = 0; i < seq.size(); i++) {
        Integer before = seen.put(seq.get(i), i);
        if (before != null) {
          return Optional.of("client " + e.getKey() + " saw " + seq.get(i) + " at positions " + before + " and " + i
              + " (a state came back after being replaced): " + window(seq, before, i));
        }
      }
    }

    List<String> clients = new ArrayList<>(runs.keySet());
    for (int a = 0; a < clients.size(); a++) {
      for (int b = a + 1; b < clients.size(); b++) {
        Optional<String> inversion = inversion(clients.get(a), runs.get(clients.get(a)), clients.get(b),
            runs.get(clients.get(b)));
        if (inversion.isPresent()) {
          return inversion;
        }
      }
    }

    return cycle(runs);
  }

  private static Optional<String> inversion(String nameA, List<String> a, String nameB, List<String> b) {
    Map<String, Integer> posB = new HashMap<>();
    for (int i = 0; i < b.size(); i++) {
      posB.put(b.get(i), i);
    }
    String prev = null;
    int prevPos = -1;
    int prevIndexInA = -1;
    for (int i = 0; i < a.size(); i++) {
      Integer p = posB.get(a.get(i));
      if (p == null) {
        continue;
      }
      if (p < prevPos) {
        return Optional.of("clients disagree on the order of " + prev + " and " + a.get(i) + ": " + nameA
            + " saw " + prev + " before " + a.get(i) + " " + window(a, prevIndexInA, i) + ", " + nameB + " saw "
            + a.get(i) + " before " + prev + " " + window(b, p, prevPos));
      }
      prev = a.get(i);
      prevPos = p;
      prevIndexInA = i;
    }
    return Optional.empty();
  }

  /** A cycle in the union of "x directly before y" edges means no total order fits all clients. */
  private static Optional<String> cycle(Map<String, List<String>> runs) {
    Map<String, Set<String>> next = new HashMap<>();
    Map<String, Integer> indegree = new HashMap<>();
    for (List<String> seq : runs.values()) {
      for (int i = 0; i < seq.size(); i++) {
        indegree.putIfAbsent(seq.get(i), 0);
        next.putIfAbsent(seq.get(i), new HashSet<>());
        if (i > 0 && next.get(seq.get(i - 1)).add(seq.get(i))) {
          indegree.merge(seq.get(i), 1, Integer::sum);
        }
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    indegree.forEach((id, d) -> {
      if (d == 0) {
        ready.add(id);
      }
    });
    int sorted = 0;
    while (!ready.isEmpty()) {
      String id = ready.poll();
      sorted++;
      for (String n : next.get(id)) {
        if (indegree.merge(n, -1, Integer::sum) == 0) {
          ready.add(n);
        }
      }
    }
    if (sorted == indegree.size()) {
      return Optional.empty();
    }
    List<String> stuck = new ArrayList<>();
    indegree.forEach((id, d) -> {
      if (d > 0 && stuck.size() < 10) {
        stuck.add(id);
      }
    });
    return Optional.of("no single order fits all clients (a cycle across three or more clients) among " + stuck);
  }

  private static String window(List<String> seq, int from, int to) {
    int lo = Math.max(0, Math.min(from, to) - 1);
    int hi = Math.min(seq.size(), Math.max(from, to) + 2);
    return "[…" + String.join(", ", seq.subList(lo, hi)) + "…]";
  }
}
