"""Appointments: calendars, slots, bookings, the queue at the counter, kiosk mode, mobile citizen service."""
