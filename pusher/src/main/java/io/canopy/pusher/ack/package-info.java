/** Routes processor verdicts back to the write of this gateway that waits for them. No view state. */
package io.canopy.pusher.ack;
