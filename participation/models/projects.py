"""Citizen projects grown from ideas: team, planning templates, funding programmes."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models.ideas import Idea
from participation.models.participants import Participant
from participation.models.spaces import Contribution


class Project(Contribution):
    """A citizen project grown from an idea: a team plans it and applies for funding."""

    KIND = "project"

    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("project title"), max_length=140)
    summary = models.TextField(_("what the project wants to achieve"), max_length=3000)

    class Meta:
        verbose_name = _("citizen project")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class ProjectMember(models.Model):
    class Role(models.TextChoices):
        INITIATOR = "initiator", _("initiator")
        MEMBER = "member", _("member")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="project_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    motivation = models.TextField(_("why I join"), max_length=1000)
    skills = models.CharField(_("what I can contribute"), max_length=300)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "participant"], name="project_member_once")]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.project_id}"


class ProjectGoal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class ProjectMilestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due on"))
    done = models.BooleanField(_("reached"), default=False)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("cost item"), max_length=200)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ProjectTask(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    responsible = models.CharField(_("who"), max_length=80, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class FundingProgramme(models.Model):
    """A funding programme of the municipality and the template of its application document."""

    name = models.CharField(_("programme"), max_length=200)
    funder = models.CharField(_("funding body"), max_length=200)
    intro = models.TextField(_("introduction on the application"), blank=True)
    max_amount = models.DecimalField(_("maximum funding (€)"), max_digits=9, decimal_places=2, null=True, blank=True)
    include_goals = models.BooleanField(_("section: goals"), default=True)
    include_milestones = models.BooleanField(_("section: milestones"), default=True)
    include_budget = models.BooleanField(_("section: budget"), default=True)
    include_tasks = models.BooleanField(_("section: tasks"), default=False)
    declaration = models.TextField(
        _("declaration to sign"), blank=True, help_text=_("Printed above the signature lines.")
    )
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("funding programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
