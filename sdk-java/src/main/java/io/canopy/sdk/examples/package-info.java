/** Runnable examples of the SDK: {@link io.canopy.sdk.examples.ChatExample}, a chat with presence. */
package io.canopy.sdk.examples;
