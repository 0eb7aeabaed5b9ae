/**
 * The launcher: {@link io.canopy.server.Main} (entry point), {@link io.canopy.server.ServerConfig} (the one place
 * that maps flags and environment variables onto the components' config records) and
 * {@link io.canopy.server.CanopyServer} (wiring and lifecycle: embedded or external Kafka, RocksDB or MongoDB,
 * and which roles run). The only package that picks implementations; {@code .embedded} runs the in-JVM Kafka.
 */
package io.canopy.server;
