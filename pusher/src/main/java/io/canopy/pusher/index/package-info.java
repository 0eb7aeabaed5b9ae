/**
 * The listener index: a path trie per namespace from locations to what is registered there (the pusher keeps
 * its views in it), answering "what overlaps this write path" in O(depth + matches). No view state, no delivery.
 */
package io.canopy.pusher.index;
