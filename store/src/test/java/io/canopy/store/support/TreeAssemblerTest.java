package io.canopy.store.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeAssemblerTest {
  private static Node json(String json) {
    return TreeJson.parse(json.replace('\'', '"'));
  }

  @Test
  void buildsFromRecordsInAnyOrder() {
    TreeAssembler t = new TreeAssembler();
    t.add(List.of("b", "c"), NodeRecord.leaf(2.0, null));
    t.add(List.of(), NodeRecord.object("top"));
    t.add(List.of("a"), NodeRecord.leaf("x", 1.0));
    t.add(List.of("b"), NodeRecord.object(null));
    assertThat(t.build()).isEqualTo(json("{'.priority':'top','a':{'.value':'x','.priority':1},'b':{'c':2}}"));
  }

  @Test
  void buildsNothingFromNoRecords() {
    assertThat(new TreeAssembler().build().isEmpty()).isTrue();
  }

  @Test
  void readsASingleLeaf() {
    TreeAssembler t = new TreeAssembler();
    t.add(List.of(), NodeRecord.leaf(true, "p"));
    assertThat(t.build()).isEqualTo(json("{'.value':true,'.priority':'p'}"));
  }

  @Test
  void toleratesTransientStatesOfNonAtomicStores() {
    TreeAssembler t = new TreeAssembler();
    t.add(List.of("orphan", "x"), NodeRecord.leaf(1.0, null)); // ancestor record not written yet
    t.add(List.of("was-leaf"), NodeRecord.leaf("old", 3.0)); // leaf about to become an object
    t.add(List.of("was-leaf", "y"), NodeRecord.leaf(2.0, null));
    t.add(List.of("emptied"), NodeRecord.object(null)); // object whose children are gone, not yet removed
    assertThat(t.build()).isEqualTo(json("{'orphan':{'x':1},'was-leaf':{'.priority':3,'y':2}}"));
  }
}
