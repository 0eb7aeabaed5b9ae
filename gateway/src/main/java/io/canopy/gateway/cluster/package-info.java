/**
 * The gateway's part in the cluster-wide state ({@code presence} SPIs): {@link
 * io.canopy.gateway.cluster.ClusterAgent} renews the gateway's lease, reports its connections, reaps the
 * onDisconnect queues of dead gateways through the write log, and reacts to being fenced. No Vert.x here.
 */
package io.canopy.gateway.cluster;
