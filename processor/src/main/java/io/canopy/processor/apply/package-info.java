/** Deterministic verdicts (CAS by hash, server values from the record time) turning writes into changes. Pure. */
package io.canopy.processor.apply;
