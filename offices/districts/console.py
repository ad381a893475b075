"""District offices in the cooperation office console (/office/districts/ on the platform host)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amtsplatz.core.access import office_permission_required
from offices.districts.forms import DistrictForm, DistrictOfficeForm, ExceptionFormSet, IntervalFormSet
from offices.districts.models import District, DistrictOffice
from offices.districts.services import district_office_save
from tenants.models import Municipality

# The office's permission to manage municipalities (amtsplatz.office.roles.MANAGE, a layer above: named here).
MANAGE = "office.manage_municipalities"


@office_permission_required(MANAGE)
def districts(request: HttpRequest) -> HttpResponse:
    """Every Landkreis with its offices and member municipalities; a form to add a Landkreis."""
    form = DistrictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        district = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": district.name})
        return redirect("office-districts")
    rows = [
        (district, list(Municipality.objects.filter(ags__startswith=district.key)))
        for district in District.objects.prefetch_related("offices")
    ]
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "offices/console/districts.html", {"rows": rows, "form": form}, status=status)


@office_permission_required(MANAGE)
def office_edit(request: HttpRequest, key: str, pk: int | None = None) -> HttpResponse:
    """Add or change a district office with its weekly hours and closures; contradictions are refused."""
    district = get_object_or_404(District, key=key)
    office = get_object_or_404(DistrictOffice, pk=pk, district=district) if pk else DistrictOffice(district=district)
    form = DistrictOfficeForm(request.POST or None, instance=office)
    intervals = IntervalFormSet(request.POST or None, instance=office, prefix="hours")
    exceptions = ExceptionFormSet(request.POST or None, instance=office, prefix="exceptions")
    status = 200
    if request.method == "POST":
        if form.is_valid() and intervals.is_valid() and exceptions.is_valid():
            try:
                saved = district_office_save(form=form, intervals=intervals, exceptions=exceptions)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
                return redirect("office-districts")
        status = 400
    context = {"district": district, "office": office, "form": form, "intervals": intervals, "exceptions": exceptions}
    return render(request, "offices/console/office_form.html", context, status=status)
