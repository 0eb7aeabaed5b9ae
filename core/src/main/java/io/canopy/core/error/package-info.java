/** The error catalogue (code, Firebase wire string, HTTP status) and the exception for bad input. No plumbing. */
package io.canopy.core.error;
