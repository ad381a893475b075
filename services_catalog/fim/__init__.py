"""FIM exchange standards: XDatenfelder 2.0/3.0 forms and XZuFi services (docs/catalogue-format.md)."""
