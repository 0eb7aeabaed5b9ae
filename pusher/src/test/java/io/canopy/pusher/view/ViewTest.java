package io.canopy.pusher.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.query.QueryEngine;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.pusher.DataPush;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Push computation of default and query views. Every scenario runs at the root and again under a deep prefix
 * (as Firebase's syncPointSpec does), which catches path arithmetic bugs.
 */
class ViewTest {
  private static final String NS = "ns";

  /** Builds paths and changes under a prefix. */
  private record At(String prefix) {
    Path p(String rel) {
      return Path.parse(prefix + rel);
    }

    Overwrite w(String rel, String json) {
      return new Overwrite(p(rel), TreeJson.parse(json));
    }

    List<Overwrite> change(Overwrite... ows) {
      return List.of(ows);
    }
  }

  private static String json(Node n) {
    return TreeJson.write(n, true);
  }

  /** A push as text: "d /path value", "m /path {rel: value, ...}" (+ " #tag"). */
  private static String show(DataPush push) {
    String tag = push.tag() == null ? "" : " #" + push.tag();
    if (push.isMerge()) {
      Map<String, String> sorted = new TreeMap<>();
      push.mergeChildren().forEach((k, v) -> sorted.put(k, json(v)));
      return "m " + push.path() + " " + sorted + tag;
    }
    return "d " + push.path() + " " + json(push.data()) + tag;
  }

  private static List<String> show(List<DataPush> pushes) {
    List<String> out = new ArrayList<>();
    pushes.forEach(p -> out.add(show(p)));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/deep/prefix"})
  void defaultViewPushesWritesInsideAtTheirPathAndAboveAtTheViewPath(String prefix) {
    At at = new At(prefix);
    Node tree = TreeJson.parse("{\"x\":1,\"y\":{\"z\":2}}");
    View v = View.create(new ViewKey(NS, at.p("/a"), QuerySpec.DEFAULT), tree);
    assertThat(v).isInstanceOf(DefaultView.class);
    assertThat(show(v.snapshot())).isEqualTo("d " + at.p("/a") + " {\"x\":1,\"y\":{\"z\":2}}");

    // inside: d at the write path
    assertThat(show(v.apply(at.change(at.w("/a/x", "5"))))).containsExactly("d " + at.p("/a/x") + " 5");
    // deeper than the data: still at the write path, with the new value there
    assertThat(show(v.apply(at.change(at.w("/a/y/z/q", "7")))))
        .containsExactly("d " + at.p("/a/y/z/q") + " 7");
    assertThat(json(v.value())).isEqualTo("{\"x\":5,\"y\":{\"z\":{\"q\":7}}}");
    // an unchanged value pushes nothing
    assertThat(v.apply(at.change(at.w("/a/x", "5")))).isEmpty();
    // a sibling write is not the view's business
    assertThat(v.apply(at.change(at.w("/b", "1")))).isEmpty();
    // a write at the view path: d at the view path
    assertThat(show(v.apply(at.change(at.w("/a", "{\"k\":1}"))))).containsExactly("d " + at.p("/a") + " {\"k\":1}");
    // a write above: d at the view path with its new value only (no data outside the view)
    assertThat(show(v.apply(at.change(at.w("", "{\"a\":{\"k\":2},\"secret\":1}")))))
        .containsExactly("d " + at.p("/a") + " {\"k\":2}");
    // a write above that leaves the view path untouched (same value) pushes nothing
    assertThat(v.apply(at.change(at.w("", "{\"a\":{\"k\":2},\"other\":3}")))).isEmpty();
    // a delete above: d null
    assertThat(show(v.apply(at.change(at.w("", "null"))))).containsExactly("d " + at.p("/a") + " null");
    assertThat(v.value().isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/deep/prefix"})
  void defaultViewPushesAMultiPathUpdateAsOneMergeAtTheCommonAncestor(String prefix) {
    At at = new At(prefix);
    View v = View.create(new ViewKey(NS, at.p("/a"), QuerySpec.DEFAULT),
        TreeJson.parse("{\"x\":1,\"y\":{\"z\":2,\"w\":3}}"));

    assertThat(show(v.apply(at.change(at.w("/a/y/z", "20"), at.w("/a/y/w", "30")))))
        .containsExactly("m " + at.p("/a/y") + " {w=30, z=20}");
    assertThat(show(v.apply(at.change(at.w("/a/x", "10"), at.w("/a/y/z", "null"), at.w("/b", "1")))))
        .containsExactly("m " + at.p("/a") + " {x=10, y/z=null}");
    // the unchanged part of an update is left out; one changed path is a plain d
    assertThat(show(v.apply(at.change(at.w("/a/x", "10"), at.w("/a/y/w", "31")))))
        .containsExactly("d " + at.p("/a/y/w") + " 31");
    // overlapping overwrites of one change: the outer path with its final value
    assertThat(show(v.apply(at.change(at.w("/a/y", "{\"n\":1}"), at.w("/a/y/n", "2")))))
        .containsExactly("d " + at.p("/a/y") + " {\"n\":2}");
    // one overwrite above the view and one inside: the whole value once
    assertThat(show(v.apply(at.change(at.w("/a/x", "11"), at.w("", "{\"a\":{\"x\":12}}")))))
        .containsExactly("d " + at.p("/a") + " {\"x\":12}");
    assertThat(json(v.value())).isEqualTo("{\"x\":12}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/deep/prefix"})
  void queryViewPushesTheWholeResultWhenTheLimitWindowMoves(String prefix) {
    At at = new At(prefix);
    QuerySpec lastTwo = new QuerySpec(QueryIndex.child("score"), null, null, 2, QuerySpec.ViewFrom.RIGHT);
    Node scores = TreeJson.parse("{\"a\":{\"score\":1},\"b\":{\"score\":2},\"c\":{\"score\":3}}");
    View v = View.create(new ViewKey(NS, at.p("/scores"), lastTwo), scores);
    assertThat(v).isInstanceOf(QueryResultView.class);
    assertThat(show(v.snapshot()))
        .isEqualTo("d " + at.p("/scores") + " {\"b\":{\"score\":2},\"c\":{\"score\":3}}");

    // d enters the window at the top, b leaves it
    assertThat(show(v.apply(at.change(at.w("/scores/d", "{\"score\":4}")))))
        .containsExactly("d " + at.p("/scores") + " {\"c\":{\"score\":3},\"d\":{\"score\":4}}");
    // a change outside the window does not change the result: nothing
    assertThat(v.apply(at.change(at.w("/scores/a/score", "0")))).isEmpty();
    assertThat(v.apply(at.change(at.w("/elsewhere", "1")))).isEmpty();
    // c drops out of the window (its score falls), b comes back in
    assertThat(show(v.apply(at.change(at.w("/scores/c/score", "0")))))
        .containsExactly("d " + at.p("/scores") + " {\"b\":{\"score\":2},\"d\":{\"score\":4}}");
    // a change inside the window changes the result
    assertThat(show(v.apply(at.change(at.w("/scores/d/name", "\"dee\"")))))
        .containsExactly("d " + at.p("/scores") + " {\"b\":{\"score\":2},\"d\":{\"name\":\"dee\",\"score\":4}}");
    // a write above the listen path replaces everything
    assertThat(show(v.apply(at.change(at.w("", "{\"scores\":{\"x\":{\"score\":10}},\"other\":1}")))))
        .containsExactly("d " + at.p("/scores") + " {\"x\":{\"score\":10}}");
    assertThat(show(v.apply(at.change(at.w("/scores", "null")))))
        .containsExactly("d " + at.p("/scores") + " null");
    assertThat(v.apply(at.change(at.w("/scores", "null")))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/deep/prefix"})
  void queryViewWithARangeTracksChildrenEnteringAndLeavingIt(String prefix) {
    At at = new At(prefix);
    QuerySpec range = QuerySpec.builder().orderByValue().startAt(10).endAt(20).build();
    View v = View.create(new ViewKey(NS, at.p("/n"), range), TreeJson.parse("{\"a\":5,\"b\":15,\"c\":25}"));
    assertThat(json(v.value())).isEqualTo("{\"b\":15}");
    assertThat(v.apply(at.change(at.w("/n/a", "6")))).isEmpty();
    assertThat(show(v.apply(at.change(at.w("/n/a", "12"), at.w("/n/c", "30")))))
        .containsExactly("d " + at.p("/n") + " {\"a\":12,\"b\":15}");
    assertThat(show(v.apply(at.change(at.w("/n/b", "99")))))
        .containsExactly("d " + at.p("/n") + " {\"a\":12}");
    assertThat(json(v.value())).isEqualTo(json(QueryEngine.apply(range, v.node())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/deep/prefix"})
  void randomChangesKeepViewsEqualToTheQueryOfTheTree(String prefix) {
    // Property: after any sequence of changes, each view's value is the query applied to the real tree, and
    // replaying its pushes on the previous value gives the new value.
    At at = new At(prefix);
    java.util.Random rnd = new java.util.Random(42);
    List<QuerySpec> queries = List.of(QuerySpec.DEFAULT,
        new QuerySpec(QueryIndex.VALUE, null, null, 3, QuerySpec.ViewFrom.LEFT),
        new QuerySpec(QueryIndex.KEY, null, null, 2, QuerySpec.ViewFrom.RIGHT),
        QuerySpec.builder().orderByValue().startAt(3).endAt(7).build());
    List<Path> viewPaths = List.of(at.p(""), at.p("/a"), at.p("/a/b"), at.p("/c"));
    Node tree = Node.empty();
    List<View> views = new ArrayList<>();
    for (Path vp : viewPaths) {
      for (QuerySpec q : queries) {
        views.add(View.create(new ViewKey(NS, vp, q), tree.get(Path.ROOT)));
      }
    }
    String[] rels = {"/a", "/a/b", "/a/b/k1", "/a/b/k2", "/a/b/k3", "/a/k4", "/c/k5", "/c/k6", "/d", ""};
    for (int step = 0; step < 500; step++) {
      int n = 1 + rnd.nextInt(3);
      List<Overwrite> change = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String rel = rels[rnd.nextInt(rels.length)];
        String value = switch (rnd.nextInt(4)) {
          case 0 -> "null";
          case 1 -> String.valueOf(rnd.nextInt(10));
          case 2 -> "{\"k1\":" + rnd.nextInt(10) + ",\"k2\":" + rnd.nextInt(10) + "}";
          default -> "{\"b\":{\"k3\":" + rnd.nextInt(10) + "}}";
        };
        change.add(at.w(rel, value));
      }
      Node before = tree;
      for (Overwrite o : change) {
        tree = o.applyTo(tree);
      }
      for (View v : views) {
        Node oldValue = v.value();
        List<DataPush> pushes = v.apply(change);
        Node expected = QueryEngine.apply(v.key().query(), tree.get(v.path()));
        assertThat(json(v.value())).as("step %d view %s", step, v.key()).isEqualTo(json(expected));
        if (pushes.isEmpty()) {
          assertThat(json(oldValue)).as("no push means no change (%s)", v.key()).isEqualTo(json(expected));
        }
        Node replayed = oldValue;
        for (DataPush p : pushes) {
          replayed = applyPush(v.path(), replayed, p);
        }
        assertThat(json(replayed)).as("pushes of step %d replay to the value (%s, before %s)", step, v.key(),
            json(before)).isEqualTo(json(expected));
      }
    }
  }

  /** What a client does with a push for its view at {@code viewPath}. */
  private static Node applyPush(Path viewPath, Node value, DataPush p) {
    Path rel = viewPath.relativize(p.path());
    if (!p.isMerge()) {
      return value.set(rel, p.data());
    }
    Node v = value;
    for (Map.Entry<String, Node> e : p.mergeChildren().entrySet()) {
      v = v.set(rel.child(Path.parse(e.getKey())), e.getValue());
    }
    return v;
  }
}
