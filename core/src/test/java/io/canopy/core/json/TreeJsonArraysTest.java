package io.canopy.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Firebase renders array-like objects as arrays in plain values (REST, val()), never in the export format. */
class TreeJsonArraysTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "['a','b','c']                | ['a','b','c']",
      "{'0':'a','2':'c'}            | ['a',null,'c']",
      "{'2':'c','4':'e'}            | {'2':'c','4':'e'}",
      "{'1':'x'}                    | [null,'x']",
      "{'2':'x'}                    | {'2':'x'}",
      "{'0':'a','01':'b'}           | {'0':'a','01':'b'}",
      "{'0':'a','x':'b'}            | {'0':'a','x':'b'}",
      "{'-1':'a','0':'b'}           | {'-1':'a','0':'b'}",
      "{'0':{'0':1,'1':2},'1':true} | [[1,2],true]",
      "{'9999999999':1}             | {'9999999999':1}",
  })
  void plainValuesUseArraysLikeFirebase(String input, String expected) {
    assertThat(TreeJson.write(TreeJson.parse(input.replace('\'', '"')), false))
        .isEqualTo(expected.replace('\'', '"'));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"['a','b'] | {'0':'a','1':'b'}"})
  void exportFormatKeepsObjects(String input, String expected) {
    assertThat(TreeJson.write(TreeJson.parse(input.replace('\'', '"')), true)).isEqualTo(expected.replace('\'', '"'));
  }
}
