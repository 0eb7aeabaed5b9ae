/**
 * The pusher, running inside each gateway process: the {@link io.canopy.pusher.Pusher} facade over the change
 * feed, verdict routing and consistent reads (store snapshot plus replay of changes not yet flushed).
 */
package io.canopy.pusher;
