/**
 * The pusher, running inside each gateway process: the {@link io.canopy.pusher.Pusher} facade (sessions, consistent
 * reads, verdict routing) and the realtime coordinator that ties the change feed, the views, the path index and the
 * outboxes together on the feed thread. The API types the gateway sees ({@link io.canopy.pusher.PusherSession},
 * {@link io.canopy.pusher.DataPush}, {@link io.canopy.pusher.SessionTransport}) live here too.
 */
package io.canopy.pusher;
