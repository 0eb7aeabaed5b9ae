package io.canopy.processor;

/** Called at each {@link FaultPoint}; throwing {@link SimulatedCrash} there kills the processor on the spot. */
@FunctionalInterface
public interface FaultInjector {
  FaultInjector NONE = point -> {};

  void at(FaultPoint point);

  /** Thrown by fault injectors: the processor stops at once, without flushing, committing or closing cleanly. */
  final class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(FaultPoint point) {
      super("simulated crash at " + point, null, false, false);
    }
  }
}
