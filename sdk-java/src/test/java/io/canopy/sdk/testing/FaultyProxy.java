package io.canopy.sdk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the server with named faults, so that tests can cut the network under a real client:
 * {@link #dropAll()} cuts every connection at once (no WebSocket close frame: the server and the client both see
 * the TCP connection die), {@link #refuse(boolean)} turns new connections away, {@link #holdReplies(boolean)} stops
 * forwarding server→client bytes (so requests are in flight when the connection is cut).
 */
public final class FaultyProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean refusing;
  private volatile boolean holding;
  private volatile boolean closed;
  private final Object holdLock = new Object();

  public FaultyProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::acceptLoop, "faulty-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The database URL of namespace {@code ns} through this proxy. */
  public String url(String ns) {
    return "http://127.0.0.1:" + port() + "?ns=" + ns;
  }

  /** How many connections the proxy accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        if (refusing) {
          client.close();
          continue;
        }
        accepted.incrementAndGet();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean downstream) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (downstream) {
            synchronized (holdLock) {
              while (holding && !from.isClosed()) {
                holdLock.wait(50);
              }
            }
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the connection died: the other direction is closed below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "faulty-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Cuts every open connection at once. */
  public void dropAll() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  /** While true, new connections are closed as soon as they are accepted. */
  public void refuse(boolean refuse) {
    this.refusing = refuse;
  }

  /** While true, nothing from the server reaches the clients (requests stay in flight). */
  public void holdReplies(boolean hold) {
    synchronized (holdLock) {
      this.holding = hold;
      holdLock.notifyAll();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    holdReplies(false);
    dropAll();
  }
}
