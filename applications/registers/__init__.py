"""Register adapters of this app, one module each (interface and registry: ``amtsplatz.infra.registers``)."""

from __future__ import annotations

from amtsplatz.infra import registers
from applications.registers.demo_melderegister import DemoMelderegister


def register_adapters() -> None:
    registers.register(DemoMelderegister())
