"""The open data editors' views in /cms/opendata/: data sets, files with versions, links, live API tokens."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opendata import services
from opendata.forms import DatasetForm, LinkForm, UploadForm, VersionForm
from opendata.models import Dataset, Distribution

PERMISSION = "opendata.change_dataset"


def editors_only(view: Any) -> Any:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@editors_only
def datasets(request: HttpRequest) -> HttpResponse:
    rows = Dataset.objects.prefetch_related("distributions").order_by("title")
    return render(request, "opendata/staff/datasets.html", {"datasets": rows, "header_title": _("Open data")})


def _page(
    request: HttpRequest, dataset: Dataset | None, form: DatasetForm, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "dataset": dataset,
        "form": form,
        "upload_form": forms.get("upload_form") or UploadForm(),
        "link_form": forms.get("link_form") or LinkForm(),
        "version_forms": forms.get("version_forms", {}),
        "header_title": dataset.title if dataset else _("New data set"),
    }
    if dataset is not None:
        context["distributions"] = dataset.distributions.prefetch_related("versions")
    return render(request, "opendata/staff/dataset.html", context, status=status)


@editors_only
def dataset_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk) if pk else None
    form = DatasetForm(request.POST or None, instance=dataset)
    if request.method == "POST":
        if form.is_valid():
            saved = services.dataset_save(dataset=form.instance)
            messages.success(request, _("The data set was saved."))
            return redirect("opendata_admin:dataset", pk=saved.pk)
        return _page(request, dataset, form, status=400)
    return _page(request, dataset, form)


@require_POST
@editors_only
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.distribution_file_add(
                dataset=dataset, title=form.cleaned_data["title"], upload=form.cleaned_data["file"],
                uploaded_by=request.user.get_username(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file was checked and added."))
            return redirect("opendata_admin:dataset", pk=dataset.pk)
    return _page(request, dataset, DatasetForm(instance=dataset), status=400, upload_form=form)


@require_POST
@editors_only
def new_version(request: HttpRequest, pk: int, distribution_pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    distribution = get_object_or_404(Distribution, pk=distribution_pk, dataset=dataset, kind=Distribution.Kind.FILE)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.file_version_add(
                distribution=distribution, upload=form.cleaned_data["file"], uploaded_by=request.user.get_username()
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The new version was checked and added; the previous versions stay available."))
            return redirect("opendata_admin:dataset", pk=dataset.pk)
    return _page(request, dataset, DatasetForm(instance=dataset), status=400, version_forms={distribution.pk: form})


@require_POST
@editors_only
def link(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        services.distribution_link_add(
            dataset=dataset, title=form.cleaned_data["title"], fmt=form.cleaned_data["format"],
            url=form.cleaned_data["url"],
        )  # fmt: skip
        messages.success(request, _("The link was added."))
        return redirect("opendata_admin:dataset", pk=dataset.pk)
    return _page(request, dataset, DatasetForm(instance=dataset), status=400, link_form=form)


@require_POST
@editors_only
def token(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk, is_timeseries=True)
    issued = services.series_token_issue(dataset=dataset)
    context = {"dataset": dataset, "token": issued, "header_title": dataset.title}
    return render(request, "opendata/staff/token.html", context)
