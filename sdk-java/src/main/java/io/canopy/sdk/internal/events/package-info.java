/**
 * The client's threading: {@link io.canopy.sdk.internal.events.EventLoop}, the single event thread that owns all
 * client state and runs every callback. No protocol or tree logic here.
 */
package io.canopy.sdk.internal.events;
