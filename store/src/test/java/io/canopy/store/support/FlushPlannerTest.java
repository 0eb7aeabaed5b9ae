package io.canopy.store.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.store.support.StoreMutation.DeleteNode;
import io.canopy.store.support.StoreMutation.PutObject;
import io.canopy.store.support.StoreMutation.ReplaceSubtree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner's mutations and, as important, the reads it costs. */
class FlushPlannerTest {
  /** A state held as a tree, counting the planner's reads. */
  private static final class TreeReader implements StateReader {
    final Node tree;
    int recordCalls;
    final List<Path> descendantProbes = new ArrayList<>();
    final List<Path> childProbes = new ArrayList<>();

    TreeReader(String json) {
      this.tree = TreeJson.parse(json.replace('\'', '"'));
    }

    @Override
    public Map<Path, NodeRecord> records(Collection<Path> paths) {
      recordCalls++;
      Map<Path, NodeRecord> out = new HashMap<>();
      for (Path p : paths) {
        Node n = tree.get(p);
        if (!n.isEmpty()) {
          out.put(p, NodeRecord.of(n));
        }
      }
      return out;
    }

    @Override
    public boolean hasDescendants(Path path) {
      descendantProbes.add(path);
      return tree.get(path).childCount() > 0;
    }

    @Override
    public boolean hasChildOtherThan(Path parent, Set<String> excludedKeys) {
      childProbes.add(parent);
      boolean[] found = {false};
      tree.get(parent).forEachChild((key, child) -> found[0] |= !excludedKeys.contains(key));
      return found[0];
    }
  }

  private static Overwrite ow(String path, String json) {
    return new Overwrite(Path.parse(path), TreeJson.parse(json.replace('\'', '"')));
  }

  private static Path p(String path) {
    return Path.parse(path);
  }

  @Test
  void plansNothingForNoWrites() {
    TreeReader reader = new TreeReader("{'a':1}");
    assertThat(FlushPlanner.plan(List.of(), reader)).isEmpty();
    assertThat(reader.recordCalls).isZero();
  }

  @Test
  void createsMissingAncestorsParentsFirstAfterTheReplacement() {
    TreeReader reader = new TreeReader("null");
    List<StoreMutation> plan = FlushPlanner.plan(List.of(ow("/a/b/c", "1")), reader);
    assertThat(plan).containsExactly(
        new ReplaceSubtree(p("/a/b/c"), TreeJson.parse("1"), false),
        new PutObject(Path.ROOT, null),
        new PutObject(p("/a"), null),
        new PutObject(p("/a/b"), null));
    assertThat(reader.recordCalls).isOne();
    assertThat(reader.childProbes).isEmpty();
  }

  @Test
  void leavesExistingObjectAncestorsAlone() {
    TreeReader reader = new TreeReader("{'a':{'.priority':1,'x':1}}");
    assertThat(FlushPlanner.plan(List.of(ow("/a/b", "2")), reader))
        .containsExactly(new ReplaceSubtree(p("/a/b"), TreeJson.parse("2"), false));
  }

  @Test
  void turnsALeafAncestorIntoAnObjectKeepingItsPriority() {
    TreeReader reader = new TreeReader("{'a':{'.value':1,'.priority':'p'}}");
    assertThat(FlushPlanner.plan(List.of(ow("/a/b", "2")), reader)).containsExactly(
        new ReplaceSubtree(p("/a/b"), TreeJson.parse("2"), false),
        new PutObject(p("/a"), "p"));
  }

  @Test
  void clearsDescendantsOnlyWhereThereAreAny() {
    TreeReader reader = new TreeReader("{'a':{'x':{'y':1}},'b':1}");
    List<StoreMutation> plan = FlushPlanner.plan(List.of(ow("/a", "2"), ow("/b", "3")), reader);
    assertThat(plan).containsExactlyInAnyOrder(
        new ReplaceSubtree(p("/a"), TreeJson.parse("2"), true),
        new ReplaceSubtree(p("/b"), TreeJson.parse("3"), false));
    assertThat(reader.descendantProbes).containsExactlyInAnyOrder(p("/a"), p("/b"));
  }

  @Test
  void removesAncestorsLeftEmptyChildrenFirst() {
    TreeReader reader = new TreeReader("{'a':{'b':{'c':1}},'z':1}");
    List<StoreMutation> plan = FlushPlanner.plan(List.of(ow("/a/b/c", "null")), reader);
    assertThat(plan).containsExactly(
        new ReplaceSubtree(p("/a/b/c"), Node.empty(), false),
        new DeleteNode(p("/a/b")),
        new DeleteNode(p("/a")));
    assertThat(reader.childProbes).containsExactly(p("/a/b"), p("/a"), Path.ROOT);
  }

  @Test
  void probesForOtherChildrenOnlyWhenAllWrittenChildrenEndEmpty() {
    TreeReader reader = new TreeReader("{'a':{'b':1,'c':2,'d':3}}");
    List<StoreMutation> plan = FlushPlanner.plan(List.of(ow("/a/b", "null"), ow("/a/c", "null")), reader);
    assertThat(plan).hasSize(2).allMatch(m -> m instanceof ReplaceSubtree);
    assertThat(reader.childProbes).containsExactly(p("/a"));

    reader = new TreeReader("{'a':{'b':1,'c':2}}");
    plan = FlushPlanner.plan(List.of(ow("/a/b", "null"), ow("/a/c", "5")), reader);
    assertThat(plan).hasSize(2).allMatch(m -> m instanceof ReplaceSubtree);
    assertThat(reader.childProbes).isEmpty();
  }

  @Test
  void removesAParentWhoseLastChildrenGoInTheSameFlush() {
    TreeReader reader = new TreeReader("{'a':{'b':1,'c':2},'z':1}");
    List<StoreMutation> plan = FlushPlanner.plan(List.of(ow("/a/b", "null"), ow("/a/c", "null")), reader);
    assertThat(plan).endsWith(new DeleteNode(p("/a")));
  }

  @Test
  void deletingBelowALeafOrNothingRemovesNoAncestor() {
    TreeReader reader = new TreeReader("{'a':1}");
    List<StoreMutation> plan = FlushPlanner.plan(List.of(ow("/a/b", "null"), ow("/x/y", "null")), reader);
    assertThat(plan).hasSize(2).allMatch(m -> m instanceof ReplaceSubtree);
  }

  @Test
  void replacesTheRootWithoutAncestors() {
    TreeReader reader = new TreeReader("{'a':1}");
    assertThat(FlushPlanner.plan(List.of(ow("/", "{'b':2}")), reader))
        .containsExactly(new ReplaceSubtree(Path.ROOT, TreeJson.parse("{\"b\":2}"), true));
    assertThat(reader.recordCalls).isZero();
  }

  @Test
  void readsAllAncestorsInOneCall() {
    TreeReader reader = new TreeReader("null");
    FlushPlanner.plan(List.of(ow("/a/b/c", "1"), ow("/a/d", "2"), ow("/e/f", "3")), reader);
    assertThat(reader.recordCalls).isOne();
  }

  @Test
  void rejectsOverlappingPathsBeforeReading() {
    for (List<Overwrite> bad : List.of(
        List.of(ow("/a", "1"), ow("/a/b", "2")),
        List.of(ow("/a/b", "1"), ow("/a", "2")),
        List.of(ow("/a/b", "1"), ow("/c", "1"), ow("/a/b", "2")),
        List.of(ow("/a/b/c", "1"), ow("/", "2")))) {
      TreeReader reader = new TreeReader("null");
      assertThatThrownBy(() -> FlushPlanner.plan(bad, reader))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must not overlap");
      assertThat(reader.recordCalls).isZero();
    }
  }
}
