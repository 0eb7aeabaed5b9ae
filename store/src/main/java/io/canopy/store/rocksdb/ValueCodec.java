package io.canopy.store.rocksdb;

import io.canopy.store.StoreException;
import io.canopy.store.support.NodeRecord;
import java.nio.ByteBuffer;

/**
 * The binary form of a {@link NodeRecord}: {@code header [priority] [value]}. The header's low three bits give
 * the kind (object, false, true, number, string), bits 4 and 5 the priority's kind (none, number, string).
 * Numbers are 8-byte IEEE 754 doubles (big-endian); a string priority is a varint byte length followed by its
 * bytes; a string value takes the rest of the record. Strings are {@link Wtf8}. An object record is one byte,
 * a number leaf nine.
 */
final class ValueCodec {
  private static final int OBJECT = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int NUMBER = 3;
  private static final int STRING = 4;
  private static final int KIND_MASK = 0x07;

  private static final int PRIORITY_NONE = 0;
  private static final int PRIORITY_NUMBER = 1 << 4;
  private static final int PRIORITY_STRING = 2 << 4;
  private static final int PRIORITY_MASK = 0x30;

  private ValueCodec() {}

  static byte[] encode(NodeRecord record) {
    Object value = record.value();
    Object priority = record.priority();
    byte[] priorityString = priority instanceof String s ? Wtf8.encode(s) : null;
    byte[] valueString = value instanceof String s ? Wtf8.encode(s) : null;
    int kind;
    int size = 1;
    if (value == null) {
      kind = OBJECT;
    } else if (value instanceof Boolean b) {
      kind = b ? TRUE : FALSE;
    } else if (value instanceof Double) {
      kind = NUMBER;
      size += 8;
    } else {
      kind = STRING;
      size += valueString.length;
    }
    int priorityKind = PRIORITY_NONE;
    if (priority instanceof Double) {
      priorityKind = PRIORITY_NUMBER;
      size += 8;
    } else if (priorityString != null) {
      priorityKind = PRIORITY_STRING;
      size += varintSize(priorityString.length) + priorityString.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) (kind | priorityKind));
    if (priorityKind == PRIORITY_NUMBER) {
      out.putDouble((Double) priority);
    } else if (priorityKind == PRIORITY_STRING) {
      putVarint(out, priorityString.length);
      out.put(priorityString);
    }
    if (kind == NUMBER) {
      out.putDouble((Double) value);
    } else if (kind == STRING) {
      out.put(valueString);
    }
    return out.array();
  }

  static NodeRecord decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw corrupt("empty record");
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int header = in.get() & 0xFF;
      if ((header & ~(KIND_MASK | PRIORITY_MASK)) != 0) {
        throw corrupt("unknown header bits " + Integer.toHexString(header));
      }
      Object priority;
      switch (header & PRIORITY_MASK) {
        case PRIORITY_NONE -> priority = null;
        case PRIORITY_NUMBER -> priority = in.getDouble();
        case PRIORITY_STRING -> {
          int length = getVarint(in);
          priority = Wtf8.decode(bytes, in.position(), length);
          in.position(in.position() + length);
        }
        default -> throw corrupt("unknown priority kind");
      }
      Object value;
      switch (header & KIND_MASK) {
        case OBJECT -> value = null;
        case FALSE -> value = Boolean.FALSE;
        case TRUE -> value = Boolean.TRUE;
        case NUMBER -> value = in.getDouble();
        case STRING -> {
          value = Wtf8.decode(bytes, in.position(), in.remaining());
          in.position(bytes.length);
        }
        default -> throw corrupt("unknown value kind " + (header & KIND_MASK));
      }
      if (in.hasRemaining()) {
        throw corrupt(in.remaining() + " trailing bytes");
      }
      return new NodeRecord(value, priority);
    } catch (RuntimeException e) {
      if (e instanceof StoreException) {
        throw e;
      }
      throw new StoreException("corrupt node record of " + bytes.length + " bytes: " + e, e);
    }
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  private static void putVarint(ByteBuffer out, int v) {
    while ((v & ~0x7F) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static int getVarint(ByteBuffer in) {
    int v = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = in.get() & 0xFF;
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          break;
        }
        return v;
      }
    }
    throw corrupt("bad length");
  }

  private static StoreException corrupt(String why) {
    return new StoreException("corrupt node record: " + why);
  }
}
