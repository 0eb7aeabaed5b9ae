package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.bench.SystemUnderTest;

/**
 * One benchmark scenario. {@link #run} drives a server over the v5 protocol and returns its measurements as JSON;
 * the bench adds CPU time around it and judges the targets.
 */
public interface Scenario {
    /** One letter of the list: {@code a} … {@code e}. */
    String id();

    /** A short name, e.g. {@code write-throughput}. */
    String name();

    /** One sentence: what is measured and how. */
    String description();

    /** Measures; the result holds at least {@code ops} (operations done in the measured window) and {@code seconds}. */
    ObjectNode run(SystemUnderTest sut, ScenarioContext ctx) throws Exception;
}
