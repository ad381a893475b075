"""Edge hardening shared by every app: client address, input validation at the edge, CSV and PDF safety."""
