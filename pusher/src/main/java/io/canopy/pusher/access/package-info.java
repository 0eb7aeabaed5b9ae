/** Read access: the {@code .read} rules applied to listens and one-shot reads, and the rules each namespace has. */
package io.canopy.pusher.access;
