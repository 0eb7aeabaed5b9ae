package io.canopy.load.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/** A server the scenarios drive over the v5 protocol: Canopy's jar or the firebase-server peer, as a child process. */
public interface SystemUnderTest extends AutoCloseable {
    /** {@code canopy} or {@code firebase-server}. */
    String name();

    /** Base URL, {@code http://127.0.0.1:PORT}. */
    String url();

    /** The server process (for CPU time and memory). */
    ProcessHandle process();

    /** {@code GET /.metrics.json}, or null where the server has none. */
    JsonNode metrics();

    /** Java heap in use right after a full GC, or empty where that can't be measured. */
    OptionalLong heapAfterGcBytes();

    @Override
    void close();
}
