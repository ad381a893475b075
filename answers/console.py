"""Shared knowledge articles in the cooperation office console (/office/articles/ on the platform host).

Catalogue editors keep them, with the catalogue's permission: they are the same kind of content,
written once for every municipality.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amtsplatz.core.access import office_permission_required
from answers.models import SharedArticle

EDIT = "services_catalog.change_servicedefinition"


class SharedArticleForm(forms.ModelForm):
    class Meta:
        model = SharedArticle
        fields = ["title_de", "slug", "body_de", "title_en", "body_en", "keywords", "source", "source_url"]


@office_permission_required(EDIT)
def articles(request: HttpRequest) -> HttpResponse:
    return render(request, "answers/console/articles.html", {"articles": SharedArticle.objects.all()})


@office_permission_required(EDIT)
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or change a shared article; saving queues its embedding (answers.signals)."""
    article = get_object_or_404(SharedArticle, pk=pk) if pk else SharedArticle()
    form = SharedArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(title)s was saved.") % {"title": saved.title_de})
        return redirect("office-articles")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "answers/console/article_form.html", {"form": form, "article": article}, status=status)
