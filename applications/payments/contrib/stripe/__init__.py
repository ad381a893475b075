"""Stripe as a payment provider of applications: Checkout on the municipality's connected account."""
