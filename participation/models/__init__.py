"""Citizen participation of one municipality (tenant schema): spaces, defect reports, ideas, statements, projects.

Every contribution passes moderation (``Contribution``): it is public only when published and not hidden by flags.
One module per kind; this package re-exports their names (``__all__``), so the app label, model names and
migrations are those of the former single module.
"""

from participation.models.configuration import ParticipationSettings
from participation.models.consultations import Statement, StatementSupport
from participation.models.ideas import Idea, IdeaStatusChange, IdeaSupport, Topic
from participation.models.moderation import Flag, ModerationLog, ModeratorDigest
from participation.models.participants import Participant
from participation.models.projects import (
    BudgetLine,
    FundingProgramme,
    Project,
    ProjectGoal,
    ProjectMember,
    ProjectMilestone,
    ProjectTask,
)
from participation.models.reports import Report, ReportCategory, ReportFollower, ReportPhoto, ReportStatusChange
from participation.models.spaces import LATITUDE, LONGITUDE, Contribution, ContributionQuerySet, Space

__all__ = [
    "LATITUDE",
    "LONGITUDE",
    "BudgetLine",
    "Contribution",
    "ContributionQuerySet",
    "Flag",
    "FundingProgramme",
    "Idea",
    "IdeaStatusChange",
    "IdeaSupport",
    "ModerationLog",
    "ModeratorDigest",
    "Participant",
    "ParticipationSettings",
    "Project",
    "ProjectGoal",
    "ProjectMember",
    "ProjectMilestone",
    "ProjectTask",
    "Report",
    "ReportCategory",
    "ReportFollower",
    "ReportPhoto",
    "ReportStatusChange",
    "Space",
    "Statement",
    "StatementSupport",
    "Topic",
]
