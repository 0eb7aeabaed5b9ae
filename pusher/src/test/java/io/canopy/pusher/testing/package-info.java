/** Test fixtures of the pusher: a recording transport and readable pushes. */
package io.canopy.pusher.testing;
