"""Celery entry points of the cooperation office (run in the public schema)."""

from __future__ import annotations

from amtsplatz.celery import app
from amtsplatz.office.announcements import announcement_fan_out, announcement_send
from amtsplatz.office.bulk import bulk_requeue_stalled, bulk_run
from amtsplatz.office.dashboard import dashboard_aggregate
from amtsplatz.office.export import export_run
from amtsplatz.office.models import OnboardingJob
from amtsplatz.office.onboarding import onboarding_run


@app.task(name="office.onboard", ignore_result=False)
def onboard(job_id: int) -> str:
    """Create the municipality of an onboarding job; returns the job's final status."""
    onboarding_run(job_id)
    return OnboardingJob.objects.get(pk=job_id).status


@app.task(name="office.export")
def export(export_id: int) -> str:
    """Archive a municipality to S3 for an export job; returns the job's final status."""
    return export_run(export_id).status


@app.task(name="office.aggregate_dashboard")
def aggregate_dashboard(actor_id: int | None = None) -> int:
    """Recompute the office dashboard's figures (nightly and on demand); returns how many were stored."""
    from django.contrib.auth.models import User

    return dashboard_aggregate(actor=User.objects.filter(pk=actor_id).first() if actor_id else None)


@app.task(name="office.announcement_fan_out")
def announcement_fan_out_task(announcement_id: int) -> int:
    """Queue an announcement's e-mail task in each municipality it is for; returns how many were queued."""
    return announcement_fan_out(announcement_id)


@app.task(name="office.announcement_mail")
def announcement_mail(announcement_id: int) -> int:
    """E-mail an announcement to the administrators of the municipality the task was queued for."""
    return announcement_send(announcement_id)


@app.task(name="office.bulk_onboard")
def bulk_onboard(bulk_id: int) -> str:
    """Create the municipalities of a confirmed CSV upload, one per step; returns the upload's final status."""
    return bulk_run(bulk_id).status


@app.task(name="office.bulk_onboard_sweep")
def bulk_onboard_sweep() -> int:
    """Queue again the confirmed CSV uploads a broker outage left waiting; returns how many."""
    return bulk_requeue_stalled()
