package io.meridian.simulation;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** One simulation at a time: the gate alone. */
class SimulationGateTest {

    @Test
    void aSecondCallerShouldBeTurnedAwayUntilThePermitIsBack() {
        SimulationGate gate = new SimulationGate();
        Optional<SimulationGate.Permit> first = gate.tryEnter();
        assertThat(first).isPresent();
        assertThat(gate.tryEnter()).isEmpty();
        first.get().close();
        Optional<SimulationGate.Permit> second = gate.tryEnter();
        assertThat(second).isPresent();
        second.get().close();
    }

    @Test
    void closingAPermitTwiceShouldNotOpenTheGateForTwo() {
        SimulationGate gate = new SimulationGate();
        SimulationGate.Permit permit = gate.tryEnter().orElseThrow();
        permit.close();
        permit.close();
        assertThat(gate.tryEnter()).isPresent();
        assertThat(gate.tryEnter()).isEmpty();
    }
}
