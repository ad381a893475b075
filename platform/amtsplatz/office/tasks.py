"""Celery entry points of the cooperation office (run in the public schema)."""

from __future__ import annotations

from amtsplatz.celery import app
from amtsplatz.office.models import OnboardingJob
from amtsplatz.office.onboarding import onboarding_run


@app.task(name="office.onboard")
def onboard(job_id: int) -> str:
    """Create the municipality of an onboarding job; returns the job's final status."""
    onboarding_run(job_id)
    return OnboardingJob.objects.get(pk=job_id).status
