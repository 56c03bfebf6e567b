"""Wiring: builds the engine, the phase adapters and the window; the one place knowing them all."""
