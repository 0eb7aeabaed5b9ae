package io.canopy.gateway.rest;

import com.fasterxml.jackson.core.JsonParser;
import io.canopy.core.json.TreeJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body held once in memory, in blocks of at most {@value #BLOCK_BYTES} bytes: appending never copies
 * what is already held (no doubling buffer), and the JSON parser streams over the blocks, so a 256 MB write is
 * never held twice as bytes and never as a String. Not thread-safe: filled on the event loop, then handed over.
 */
public final class RequestBody {
  static final int BLOCK_BYTES = 1024 * 1024;
  private static final int FIRST_BLOCK_BYTES = 16 * 1024;

  private final List<byte[]> blocks = new ArrayList<>();
  private long length;
  /** Bytes used in the last block. */
  private int lastUsed;
  private final long expected;

  /** @param expected the declared length (Content-Length) if known, else -1: the first block is sized for it */
  RequestBody(long expected) {
    this.expected = expected;
  }

  /** An empty body. */
  public static RequestBody empty() {
    return new RequestBody(0);
  }

  /** A body of these bytes (tests, small bodies). */
  public static RequestBody of(byte[] bytes) {
    RequestBody b = new RequestBody(bytes.length);
    b.append(bytes, 0, bytes.length);
    return b;
  }

  public static RequestBody of(String utf8) {
    return of(utf8.getBytes(StandardCharsets.UTF_8));
  }

  public long length() {
    return length;
  }

  /** Appends a chunk of the request. */
  void append(Buffer chunk) {
    int n = chunk.length();
    int done = 0;
    while (done < n) {
      byte[] block = room();
      int take = Math.min(n - done, block.length - lastUsed);
      chunk.getBytes(done, done + take, block, lastUsed);
      lastUsed += take;
      done += take;
      length += take;
    }
  }

  void append(byte[] bytes, int offset, int count) {
    int done = 0;
    while (done < count) {
      byte[] block = room();
      int take = Math.min(count - done, block.length - lastUsed);
      System.arraycopy(bytes, offset + done, block, lastUsed, take);
      lastUsed += take;
      done += take;
      length += take;
    }
  }

  /** The last block if it has room, else a new one. */
  private byte[] room() {
    if (!blocks.isEmpty() && lastUsed < blocks.get(blocks.size() - 1).length) {
      return blocks.get(blocks.size() - 1);
    }
    int size;
    if (blocks.isEmpty()) {
      size = expected > 0 ? (int) Math.min(expected, BLOCK_BYTES) : FIRST_BLOCK_BYTES;
    } else {
      long remaining = expected > length ? expected - length : BLOCK_BYTES;
      size = (int) Math.min(remaining, BLOCK_BYTES);
    }
    byte[] block = new byte[Math.max(size, 1)];
    blocks.add(block);
    lastUsed = 0;
    return block;
  }

  /** A JSON parser over the whole body (UTF-8, auto-detected like Firebase's JSON). */
  public JsonParser parser() throws IOException {
    if (blocks.isEmpty()) {
      return TreeJson.factory().createParser(new byte[0]);
    }
    if (blocks.size() == 1) {
      return TreeJson.factory().createParser(blocks.get(0), 0, lastUsed);
    }
    return TreeJson.factory().createParser(new BlockStream());
  }

  /** Reads the blocks in order without copying them. */
  private final class BlockStream extends InputStream {
    private int block;
    private int pos;

    private int limit(int b) {
      return b == blocks.size() - 1 ? lastUsed : blocks.get(b).length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
      if (len == 0) {
        return 0;
      }
      while (block < blocks.size() && pos >= limit(block)) {
        block++;
        pos = 0;
      }
      if (block >= blocks.size()) {
        return -1;
      }
      int n = Math.min(len, limit(block) - pos);
      System.arraycopy(blocks.get(block), pos, dst, off, n);
      pos += n;
      return n;
    }
  }
}
