"""Citizen views of participation: start page, defect reports, ideas, consultations, projects, account."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amtsplatz.security.headers import permissions_policy_allowing
from citizens.accounts import next_path
from citizens.decorators import citizen_required, login_url
from citizens.services import account_register
from participation import selectors, services
from participation.antispam import Automated, RateLimited, rate_limit_hit
from participation.documents import render_funding_pdf
from participation.forms import (
    PLAN_FORMSETS,
    DeleteAccountForm,
    FlagForm,
    GuestReportForm,
    IdeaForm,
    JoinForm,
    ProfileForm,
    ProjectForm,
    ReportFilterForm,
    ReportForm,
    SignUpForm,
    StatementForm,
)
from participation.models import (
    FundingProgramme,
    Idea,
    Participant,
    ParticipationSettings,
    Project,
    Report,
    ReportCategory,
    Space,
    Statement,
)
from participation.states import Moderation

View = Callable[..., HttpResponse]
FLAGGED_SESSION_KEY = "participation_flagged"


def _language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


def guarded(view: View) -> View:
    """Answer rate limits with 429 and honeypot hits with 400, each with a page a person understands."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as limited:
            minutes = max(limited.retry_after // 60, 1)
            response = render(request, "participation/rate_limited.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except Automated:
            return render(request, "participation/refused.html", status=400)

    return wrapper


def _participant(request: HttpRequest) -> Participant | HttpResponse:
    """The logged-in citizen's participation profile, or where to get one (log in, or choose a pseudonym)."""
    participant = selectors.participant_of(request.user)
    if participant is not None:
        return participant
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect(f"{reverse('participation:profile')}?{urlencode({'next': request.get_full_path()})}")
    if request.user.is_authenticated:
        messages.error(request, _("Staff accounts cannot take part as citizens."))
        return redirect("participation:start")
    return redirect(login_url(request))


def participant_required(view: View) -> View:
    """Only with a participation profile: passes it as ``participant``; otherwise where to get one."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = _participant(request)
        if isinstance(found, HttpResponse):
            return found
        return view(request, *args, participant=found, **kwargs)

    return wrapper


def _user_id(request: HttpRequest) -> int | None:
    return int(request.user.pk) if request.user.is_authenticated else None


def _held_message(request: HttpRequest, item: Any) -> None:
    if item.moderation == Moderation.PUBLISHED:
        messages.success(request, _("Thank you! Your contribution is published."))
    elif not item.checked:
        messages.success(
            request,
            _(
                "Thank you! Your browser did not run the automatic anti-spam check (JavaScript), so a moderator "
                "will look at your contribution before it appears."
            ),
        )
    else:
        messages.success(request, _("Thank you! Your contribution will appear once a moderator has approved it."))


# --- Start, account ---------------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    context = {
        "participant": selectors.participant_of(request.user),
        "reports_open": ReportCategory.objects.filter(is_active=True).exists(),
        "recent_reports": selectors.public_reports()[:5],
        "idea_spaces": selectors.open_spaces(Space.Kind.IDEAS),
        "consultations": Space.objects.filter(kind=Space.Kind.CONSULTATION).order_by("closed_at", "-created")[:10],
        "projects": selectors.public_projects()[:5],
    }
    return render(request, "participation/start.html", context)


@guarded
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A citizen account with pseudonym; the account is activated by the link we send."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        rate_limit_hit(scope="sign_up", request=request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                with transaction.atomic():
                    user = account_register(
                        email=email, password=form.cleaned_data["password"], language=_language(request),
                        next_url=reverse("participation:start"),
                    )  # fmt: skip
                    if user is not None:
                        services.participant_create(
                            user=user, pseudonym=form.cleaned_data["pseudonym"],
                            real_name=form.cleaned_data["real_name"], language=_language(request),
                        )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "citizens/check_inbox.html", {"email": email})
    return render(request, "participation/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    """Choose (or change) the pseudonym; download the data; delete the account."""
    participant = selectors.participant_of(request.user)
    initial = {"pseudonym": participant.pseudonym, "real_name": participant.real_name} if participant else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if participant is None:
                services.participant_create(user=request.user, language=_language(request), **form.cleaned_data)
            else:
                services.participant_update(participant=participant, language=_language(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(next_path(request, reverse("participation:profile")))
    context = {"form": form, "participant": participant, "delete_form": DeleteAccountForm()}
    return render(request, "participation/profile.html", context, status=400 if form.errors else 200)


@participant_required
def mine(request: HttpRequest, participant: Participant) -> HttpResponse:
    context = {
        "participant": participant,
        "reports": Report.objects.filter(author=participant).select_related("category"),
        "ideas": Idea.objects.filter(author=participant).select_related("space"),
        "statements": Statement.objects.filter(author=participant).select_related("space"),
        "projects": Project.objects.filter(members__participant=participant).distinct(),
    }
    return render(request, "participation/mine.html", context)


# --- Defect reports ------------------------------------------------------------------------------------


def _map_settings() -> dict[str, Any]:
    configured = ParticipationSettings.load()
    return {"lat": float(configured.map_latitude), "lon": float(configured.map_longitude), "zoom": configured.map_zoom}


def reports(request: HttpRequest) -> HttpResponse:
    """Published reports as a list and (when the visitor switches it on) a map, by category and status."""
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    category = filters.get("kategorie")
    queryset = selectors.public_reports(category=category.slug if category else "", status=filters.get("status", ""))
    page = Paginator(queryset, 25).get_page(request.GET.get("seite"))
    markers = [
        {"lat": float(r.latitude), "lon": float(r.longitude), "title": r.title, "status": r.get_status_display(),
         "url": reverse("participation:report", kwargs={"pk": r.pk})}
        for r in page if r.latitude is not None and r.longitude is not None
    ]  # fmt: skip
    query = {key: value for key, value in request.GET.items() if key != "seite"}
    context = {"form": form, "page": page, "markers": markers, "map": _map_settings(), "query": urlencode(query)}
    return render(request, "participation/reports.html", context)


@guarded
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    found = _participant(request)
    guest = isinstance(found, HttpResponse) and _guest_may_report(request)
    if isinstance(found, HttpResponse) and not guest:
        return found
    participant = found if isinstance(found, Participant) else None
    space = services.reports_space()
    form_class = GuestReportForm if guest else ReportForm
    form = form_class(request.POST or None, request.FILES or None)
    duplicates: list[selectors.NearbyReport] = []
    if request.method == "POST" and space.accepts_contributions:
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            data = form.cleaned_data
            if data["latitude"] is not None and data["longitude"] is not None and not data["confirm_new"]:
                duplicates = selectors.likely_duplicates(
                    category_id=data["category"].pk, latitude=data["latitude"], longitude=data["longitude"]
                )
            if not duplicates:
                fields = {key: data[key] for key in ("category", "description", "address", "latitude", "longitude",
                                                     "photos", "contact_allowed", "contact_phone")}  # fmt: skip
                try:
                    if participant is None:
                        report = services.guest_report_file(email=data["email"], checked=form.checked, **fields)
                    else:
                        report = services.report_file(participant=participant, checked=form.checked, **fields)
                except ValidationError as error:
                    form.add_error("photos" if error.code in PHOTO_ERRORS else None, error)
                else:
                    if participant is None:
                        return render(request, "participation/report_check_inbox.html", {"email": data["email"]})
                    _held_message(request, report)
                    return redirect("participation:report", pk=report.pk)
    context = {
        "form": form,
        "space": space,
        "duplicates": duplicates,
        "map": _map_settings(),
        "participant": participant,
        "guest": guest,
        "login_url": login_url(request),
    }
    response = render(request, "participation/report_form.html", context, status=400 if form.errors else 200)
    # "Use my location" asks the browser for the position: allowed on this page, for this origin only.
    response["Permissions-Policy"] = permissions_policy_allowing("geolocation")
    return response


def _guest_may_report(request: HttpRequest) -> bool:
    """Anonymous visitors report as guests where the municipality allows it (Settings → Participation)."""
    return not request.user.is_authenticated and ParticipationSettings.load().guest_reports


@require_http_methods(["GET", "POST"])
def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a guest's e-mail: shows a button (mail scanners follow links), the click confirms."""
    if request.method == "GET":
        return render(request, "participation/report_confirm.html", {"token": token})
    try:
        services.guest_report_confirm(token=token)
    except ValidationError as error:
        return render(request, "participation/report_confirm.html", {"error": " ".join(error.messages)}, status=400)
    return render(request, "participation/report_confirm.html", {"confirmed": True})


PHOTO_ERRORS = frozenset(
    {"too_many_photos", "too_large", "empty", "wrong_type", "not_accepted", "broken_image", "active_pdf"}
)


def nearby(request: HttpRequest) -> JsonResponse:
    """The duplicate hint while a citizen fills the form: same category, within 50 m, last 30 days."""
    raw_category = request.GET.get("category", "")
    category = ReportCategory.objects.filter(pk=int(raw_category)).first() if raw_category.isdigit() else None
    try:
        lat = ReportForm.base_fields["latitude"].clean(request.GET.get("latitude"))
        lon = ReportForm.base_fields["longitude"].clean(request.GET.get("longitude"))
    except ValidationError:
        return JsonResponse({"detail": _("Latitude and longitude are not valid.")}, status=400)
    if category is None or lat is None or lon is None:
        return JsonResponse({"reports": []})
    found = selectors.likely_duplicates(category_id=category.pk, latitude=lat, longitude=lon)
    return JsonResponse(
        {
            "reports": [
                {
                    "url": reverse("participation:report", kwargs={"pk": n.report.pk}),
                    "title": n.report.title,
                    "status": n.report.get_status_display(),
                    "distance": n.distance,
                }
                for n in found
            ]
        }
    )


def _report_for(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("category", "author"), pk=pk)
    if not selectors.visible_to(report, selectors.participant_of(request.user)):
        raise Http404(_("This report is not public."))
    return report


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    participant = selectors.participant_of(request.user)
    context = {
        "report": report,
        "photos": report.photos.all(),
        "history": report.history.exclude(to_status="received") if report.is_public else report.history.all(),
        "following": participant is not None and report.followers.filter(participant=participant).exists(),
        "participant": participant,
        "map": _map_settings(),
    }
    return render(request, "participation/report_detail.html", context)


@guarded
@require_POST
@participant_required
def report_follow(request: HttpRequest, pk: int, participant: Participant) -> HttpResponse:
    report = _report_for(request, pk)
    rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
    follow = request.POST.get("follow") == "1"
    try:
        services.report_follow(report=report, participant=participant, follow=follow)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You follow this report.") if follow else _("You no longer follow this report."))
    return redirect("participation:report", pk=pk)


def _may_see_unpublished(request: HttpRequest) -> bool:
    return selectors.may(request.user, "moderate") or selectors.may(request.user, "work_reports")


def report_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo: for everyone while the report is public, else only for its author and staff."""
    report = get_object_or_404(Report, pk=pk)
    if not (selectors.visible_to(report, selectors.participant_of(request.user)) or _may_see_unpublished(request)):
        raise Http404
    photo = get_object_or_404(report.photos, pk=photo_pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=300" if report.is_public else "private, no-store"
    return response


# --- Ideas ---------------------------------------------------------------------------------------------


def _space(slug: str, kind: str) -> Space:
    return get_object_or_404(Space, slug=slug, kind=kind)


def idea_space(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(slug, Space.Kind.IDEAS)
    page = Paginator(selectors.public_ideas(space), 20).get_page(request.GET.get("seite"))
    context = {"space": space, "page": page, "participant": selectors.participant_of(request.user)}
    return render(request, "participation/idea_space.html", context)


@guarded
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(slug, Space.Kind.IDEAS)
    found = _participant(request)
    if isinstance(found, HttpResponse):
        return found
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and space.accepts_contributions:
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_propose(
                    participant=found, space=space, title=data["title"], text=data["text"], topic=data["topic"],
                    address=data["address"], latitude=data["latitude"], longitude=data["longitude"],
                    image=data["image"], checked=form.checked,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("image" if error.code in PHOTO_ERRORS else None, error)
            else:
                _held_message(request, idea)
                return redirect("participation:idea", slug=slug, pk=idea.pk)
    context = {"space": space, "form": form, "map": _map_settings()}
    return render(request, "participation/idea_form.html", context, status=400 if form.errors else 200)


def _idea_for(request: HttpRequest, slug: str, pk: int) -> Idea:
    idea = get_object_or_404(Idea.objects.select_related("space", "topic", "author"), pk=pk, space__slug=slug)
    if not selectors.visible_to(idea, selectors.participant_of(request.user)):
        raise Http404(_("This idea is not public."))
    return idea


def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    idea = _idea_for(request, slug, pk)
    participant = selectors.participant_of(request.user)
    context = {
        "idea": idea,
        "supports": idea.supports.count(),
        "supported": participant is not None and idea.supports.filter(participant=participant).exists(),
        "history": idea.history.all(),
        "projects": idea.projects.public(),
        "participant": participant,
    }
    return render(request, "participation/idea_detail.html", context)


@guarded
@require_POST
@participant_required
def idea_support(request: HttpRequest, slug: str, pk: int, participant: Participant) -> HttpResponse:
    idea = _idea_for(request, slug, pk)
    rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
    try:
        added = services.idea_support(idea=idea, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for your support.") if added else _("You support this idea already."))
    return redirect("participation:idea", slug=slug, pk=pk)


def idea_image(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    idea = get_object_or_404(Idea, pk=pk, space__slug=slug)
    if not (selectors.visible_to(idea, selectors.participant_of(request.user)) or _may_see_unpublished(request)):
        raise Http404
    if not idea.image:
        raise Http404
    response = FileResponse(idea.image.open("rb"), content_type=idea.image_type)
    response["Cache-Control"] = "public, max-age=300" if idea.is_public else "private, no-store"
    return response


# --- Consultations ---------------------------------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    """The topic, its documents and deadline, the statements (no replies) and the statement form."""
    space = _space(slug, Space.Kind.CONSULTATION)
    participant = selectors.participant_of(request.user)
    form = StatementForm(request.POST or None)
    if request.method == "POST":
        found = _participant(request)
        if isinstance(found, HttpResponse):
            return found
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            try:
                statement = services.statement_post(
                    participant=found, space=space, text=form.cleaned_data["text"], checked=form.checked
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _held_message(request, statement)
                return redirect(reverse("participation:consultation", kwargs={"slug": slug}) + "#statements")
    statements = selectors.public_statements(space)
    supported = (
        set(participant.statement_supports.filter(statement__space=space).values_list("statement_id", flat=True))
        if participant
        else set()
    )
    context = {
        "space": space,
        "documents": space.documents.all(),
        "statements": statements,
        "supported": supported,
        "form": form,
        "participant": participant,
    }
    return render(request, "participation/consultation.html", context, status=400 if form.errors else 200)


@guarded
@require_POST
@participant_required
def statement_support(request: HttpRequest, slug: str, pk: int, participant: Participant) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk, space__slug=slug)
    rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
    try:
        added = services.statement_support(statement=statement, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Thank you for your support.") if added else _("You support this statement already.")
        )
    return redirect(reverse("participation:consultation", kwargs={"slug": slug}) + f"#statement-{pk}")


# --- Projects ----------------------------------------------------------------------------------------------


def projects(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_projects(), 20).get_page(request.GET.get("seite"))
    return render(request, "participation/projects.html", {"page": page})


@guarded
@require_http_methods(["GET", "POST"])
@participant_required
def project_new(request: HttpRequest, idea_pk: int, participant: Participant) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.public().select_related("space"), pk=idea_pk)
    form = ProjectForm(request.POST or None, initial={"title": idea.title})
    if request.method == "POST":
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            try:
                project = services.project_start(idea=idea, participant=participant, checked=form.checked, **{
                    key: form.cleaned_data[key] for key in ("title", "summary", "motivation", "skills")
                })  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _held_message(request, project)
                return redirect("participation:project", pk=project.pk)
    return render(request, "participation/project_form.html", {"idea": idea, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


def _project_for(request: HttpRequest, pk: int) -> tuple[Project, Participant | None, Any]:
    project = get_object_or_404(Project.objects.select_related("idea__space", "author"), pk=pk)
    participant = selectors.participant_of(request.user)
    member = selectors.membership(project, participant)
    if not (project.is_public or member is not None):
        raise Http404(_("This project is not public."))
    return project, participant, member


@guarded
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project, participant, member = _project_for(request, pk)
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        found = _participant(request)
        if isinstance(found, HttpResponse):
            return found
        rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
        if form.is_valid():
            try:
                services.project_join(project=project, participant=found, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Welcome to the team!"))
                return redirect("participation:project", pk=pk)
    context = {
        "project": project,
        "member": member,
        "participant": participant,
        "members": project.members.select_related("participant"),
        "join_form": form,
        "programmes": FundingProgramme.objects.filter(is_active=True),
        "goals": project.goals.all(),
        "milestones": project.milestones.all(),
    }
    return render(request, "participation/project_detail.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's planning templates: goals, milestones, budget lines, tasks (members only)."""
    project, _participant, member = _project_for(request, pk)
    if member is None:
        raise Http404(_("Only team members plan the project."))
    data = request.POST if request.method == "POST" else None
    formsets = {key: factory(data, instance=project, prefix=key) for key, factory in PLAN_FORMSETS.items()}
    if request.method == "POST" and all(formset.is_valid() for formset in formsets.values()):
        services.project_plan_save(project=project, formsets=formsets.values())
        messages.success(request, _("The plan is saved."))
        return redirect("participation:project-plan", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/project_plan.html", {"project": project, "formsets": formsets},
                  status=status)  # fmt: skip


def funding_application(request: HttpRequest, pk: int) -> HttpResponse:
    """The funding application as PDF in the municipality's branding, for the chosen programme (members only)."""
    project, _participant, member = _project_for(request, pk)
    if member is None:
        raise Http404(_("Only team members export the funding application."))
    raw_programme = request.GET.get("programm", "")
    programme = (
        FundingProgramme.objects.filter(is_active=True, pk=int(raw_programme)).first()
        if raw_programme.isdigit()
        else None
    )
    if programme is None:
        messages.error(request, _("Please choose a funding programme."))
        return redirect("participation:project", pk=pk)
    pdf = render_funding_pdf(project=project, programme=programme, language=_language(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Foerderantrag-{project.pk}.pdf"'
    return response


@require_POST
@participant_required
def project_leave(request: HttpRequest, pk: int, participant: Participant) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    try:
        services.project_leave(project=project, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have left the team."))
    return redirect("participation:projects")


# --- Flags -----------------------------------------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Anyone can flag a published contribution; enough flags hide it until a moderator has looked."""
    item = selectors.item_of(kind, pk)
    if item is None or not item.is_public:
        raise Http404
    form = FlagForm(request.POST or None)
    target = selectors.public_url(item)
    if request.method == "POST" and form.is_valid():
        rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
        participant = selectors.participant_of(request.user)
        flagged = set(request.session.get(FLAGGED_SESSION_KEY, []))
        key = f"{kind}:{pk}"
        if participant is None and key in flagged:
            added = False
        else:
            try:
                added = services.content_flag(item=item, participant=participant, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(target)
        request.session[FLAGGED_SESSION_KEY] = sorted(flagged | {key})
        messages.success(
            request, _("Thank you, the moderators will look at it.") if added else _("You flagged this already.")
        )
        item.refresh_from_db()
        return redirect(target if item.is_public else reverse("participation:start"))
    return render(request, "participation/flag.html", {"item": item, "form": form, "target": target})
