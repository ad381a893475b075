"""Citizen views of participation, one module per kind (the start page and account, defect reports, ideas,
consultations, projects, flags); ``common`` holds the decorators they share. ``urls.py`` names the views
through this package (``views.<name>``, ``__all__``).
"""

from participation.views.account import profile, sign_up
from participation.views.consultations import consultation, statement_support
from participation.views.ideas import idea_detail, idea_image, idea_new, idea_space, idea_support
from participation.views.moderation import FLAGGED_SESSION_KEY, flag
from participation.views.overview import mine, start
from participation.views.projects import (
    funding_application,
    project_detail,
    project_leave,
    project_list,
    project_new,
    project_plan,
)
from participation.views.reports import (
    nearby,
    report_confirm,
    report_detail,
    report_follow,
    report_list,
    report_new,
    report_photo,
)

__all__ = [
    "FLAGGED_SESSION_KEY",
    "consultation",
    "flag",
    "funding_application",
    "idea_detail",
    "idea_image",
    "idea_new",
    "idea_space",
    "idea_support",
    "mine",
    "nearby",
    "profile",
    "project_detail",
    "project_leave",
    "project_list",
    "project_new",
    "project_plan",
    "report_confirm",
    "report_detail",
    "report_follow",
    "report_list",
    "report_new",
    "report_photo",
    "sign_up",
    "start",
    "statement_support",
]
