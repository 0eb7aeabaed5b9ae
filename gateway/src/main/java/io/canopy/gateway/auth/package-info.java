/**
 * Credential verification: turns what a client presents (a Firebase ID token or other JWT signed with HS256,
 * RS256 or ES256, a legacy database secret, or, in dev mode, the emulator's {@code owner} and unsigned
 * {@code alg: none} tokens) into an {@link io.canopy.gateway.auth.AuthContext} (an admin, or a user with the uid,
 * provider and claims the rules' {@code auth} variable is built from), or into Firebase's {@code invalid_token} /
 * {@code expired_token} failure. {@link io.canopy.gateway.auth.AuthConfig} holds the keys and checks;
 * {@link io.canopy.gateway.auth.TokenVerifier} is the pure, thread-safe verifier (JDK crypto and Jackson only, no
 * network, never throws on bad input). Extracting the credential from a request ({@code auth=}, {@code gauth},
 * Bearer) is the transports' job, and evaluating rules is {@code core.rules}'.
 */
package io.canopy.gateway.auth;
