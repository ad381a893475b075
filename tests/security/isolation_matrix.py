"""The isolation matrix: which kind of Gera object fills each parameter of each URL pattern.

tests/security/test_isolation_matrix.py requests every pattern of both URL confs (and every API operation)
with the ids of Gera's objects, on Wurzen's host and on the platform host, and fails on any 2xx answer that
shows Gera's data. **A new URL pattern needs an entry here** (the test fails and names it until it has one):

* our own patterns in ``ROUTES``: URL name (with namespace) → {parameter: kind};
* Wagtail's admin (``/cms/``) by namespace in ``WAGTAIL_NAMESPACES`` (what its ``pk`` is), its other
  parameters by name in ``WAGTAIL_PARAMETERS``; a new namespace (a new snippet or model viewset) needs an entry.

A kind is a key of the values the test builds from Gera's objects (``gera_values`` in the test module).
"""

from __future__ import annotations

# Parameters of Wagtail's admin views, by name (the namespace decides what ``pk`` is).
WAGTAIL_PARAMETERS: dict[str, str] = {
    "page_id": "page", "parent_page_id": "page", "page_to_move_id": "page", "destination_id": "page",
    "page_pk": "page", "image_id": "image", "document_id": "document", "doc_id": "document",
    "revision_id": "revision", "revision_id_a": "revision", "revision_id_b": "revision",
    "collection_id": "collection", "object_id": "page", "app_label": "page_app", "app_name": "page_app",
    "content_type_app_name": "page_app", "model_name": "page_model", "content_type_model_name": "page_model",
    "action_name": "word", "filter_spec": "word", "uploaded_file_id": "number", "session_id": "number",
    "task_id": "number", "task_state_id": "number", "workflow_pk": "number", "workflow_state_id": "number",
    "redirect_id": "number", "uidb64": "word", "token": "signed_token", "arg0": "page_path", "action": "word",
}  # fmt: skip

# Wagtail's admin namespaces (and our viewsets in it): the kind of object their ``pk`` names.
WAGTAIL_NAMESPACES: dict[str, str] = {
    "wagtailadmin_pages": "page", "wagtailadmin_api": "page", "wagtailadmin_reports": "page",
    "wagtailadmin_workflows": "number", "wagtailadmin_collections": "collection",
    "wagtailadmin_editing_sessions": "number", "wagtaildocs": "document", "wagtaildocs_chooser": "document",
    "wagtailimages": "image", "wagtailimages_chooser": "image", "wagtailembeds": "number", "wagtailforms": "page",
    "wagtaillocales": "number", "wagtailredirects": "number", "wagtailsettings": "site", "wagtailsites": "site",
    "wagtailusers_users": "user", "wagtailusers_groups": "group", "wagtailsnippets": "office_pk",
    "wagtailsnippets_offices_office": "office_pk", "wagtailsnippetchoosers_offices_office": "office_pk",
    "wagtailsnippets_local_answers_localarticle": "number",
    "wagtailsnippetchoosers_local_answers_localarticle": "number",
    "wagtailsnippets_cms_accessibilityfeedback": "number", "wagtailsnippetchoosers_cms_accessibilityfeedback": "number",
    "simple_translation": "page", "local_services": "local_service", "service_desks": "service_desk",
    "participation_spaces": "space_pk", "participation_report_categories": "category",
    "participation_topics": "number", "participation_funding_programmes": "number",
    "wagtailsnippets_appointments_calendar": "calendar_pk",
    "wagtailsnippetchoosers_appointments_calendar": "calendar_pk",
    "wagtailsnippets_appointments_counter": "counter_pk", "wagtailsnippetchoosers_appointments_counter": "counter_pk",
    "wagtailsnippets_appointments_visit": "visit", "wagtailsnippetchoosers_appointments_visit": "visit",
    "wagtailsnippets_appointments_visitbooking": "visit_booking",
    "wagtailsnippetchoosers_appointments_visitbooking": "visit_booking",
    "wagtailsnippets_appointments_homevisitrequest": "home_visit",
    "wagtailsnippetchoosers_appointments_homevisitrequest": "home_visit",
    "wagtailsnippets_offices_contactrequest": "contact_request",
    "wagtailsnippetchoosers_offices_contactrequest": "contact_request",
    "wagtailsnippets_citizens_oidcprovider": "oidc_provider",
    "wagtailsnippetchoosers_citizens_oidcprovider": "oidc_provider",
    "wagtailsnippets_citizens_samlidentityprovider": "saml_provider",
    "wagtailsnippetchoosers_citizens_samlidentityprovider": "saml_provider",
    "parking_zones": "parking_zone", "reason_templates": "reason_template", "signatures": "staff_profile",
    "demo_residents": "demo_resident",
}  # fmt: skip

# Our own patterns of both URL confs (Wagtail's root-level admin names starting with "wagtail" use the
# tables above). Parameter → kind.
ROUTES: dict[str, dict[str, str]] = {
    # both hosts
    "healthz": {}, "readyz": {}, "csp-report": {}, "ckan-action": {"action": "ckan_action"},
    "opendata.views.ckan_action": {"action": "ckan_action"},
    "opendata.platform_views.ckan_action": {"action": "ckan_action"},
    # a municipality's host
    "portal-api:openapi-json": {}, "portal-api:openapi-view": {}, "portal-api:api-root": {},
    "portal-api:tenant_services": {}, "portal-api:tenant_service": {"service_id": "service"},
    "portal-api:verification_send": {}, "portal-api:application_create": {},
    "portal-api:application_read": {"reference": "application_reference"},
    "portal-api:participation-reports": {}, "portal-api:participation-ideas": {}, "portal-api:datasets": {},
    "portal-api:answers_get": {}, "portal-api:office_list": {}, "portal-api:availability": {"slug": "office"},
    "portal-api:challenge": {}, "portal-api:reserve": {}, "portal-api:booking_get": {"token": "booking_token"},
    "portal-api:booking_confirm": {"token": "booking_token"}, "portal-api:booking_cancel": {"token": "booking_token"},
    "portal-api:offices_list": {}, "portal-api:offices_detail": {"office_id": "office"},
    "portal-api:district_offices_detail": {"office_id": "office"},
    "wagtaildocs_serve": {"arg0": "document", "arg1": "document_file"},
    "wagtaildocs_authenticate_with_password": {"restriction_id": "number"},
    "set_language": {}, "robots-txt": {}, "sitemap": {}, "tenant-media": {"schema": "schema", "path": "media_path"},
    "citizens:sign-up": {}, "citizens:activate": {"token": "signed_token"}, "citizens:log-in": {},
    "citizens:log-out": {}, "citizens:my-data": {}, "citizens:delete-account": {},
    "citizens:account": {}, "citizens:message": {"message_id": "postbox_message"}, "citizens:password-reset": {},
    "citizens:password-set": {"uidb64": "citizen_uidb64", "token": "password_token"}, "citizens:identities": {},
    "citizens:identity-link": {"method": "login_method"}, "citizens:stronger-login": {},
    "citizens:bundid-login": {}, "citizens:bundid-acs": {}, "citizens:bundid-finish": {"token": "saml_pending"},
    "citizens:bundid-logout": {}, "citizens:bundid-sls": {}, "citizens:bundid-metadata": {},
    "citizens:oidc-login": {"slug": "oidc_slug"}, "citizens:oidc-callback": {"slug": "oidc_slug"},
    "applications:mine": {}, "applications:verify": {"token": "signed_token"},
    "applications:step": {"public_id": "application", "step": "number"},
    "applications:review": {"public_id": "application"},
    "applications:status": {"token": "application_token"},
    "applications:status-json": {"token": "application_token"}, "applications:document": {"token": "application_token"},
    "applications:test-payment": {"payment_id": "payment"},
    "applications:test-payment-confirm": {"payment_id": "payment"},
    "applications:start": {"service_key": "service"}, "billing-stripe-return": {"payment_id": "payment"},
    "participation:start": {}, "participation:sign-up": {}, "participation:profile": {}, "participation:mine": {},
    "participation:reports": {}, "participation:report-new": {}, "participation:nearby": {},
    "participation:report-confirm": {"token": "signed_token"},
    "participation:report": {"pk": "report"}, "participation:report-follow": {"pk": "report"},
    "participation:report-photo": {"pk": "report", "photo_pk": "photo"},
    "participation:idea-space": {"slug": "space"}, "participation:idea-new": {"slug": "space"},
    "participation:idea": {"slug": "space", "pk": "idea"},
    "participation:idea-support": {"slug": "space", "pk": "idea"},
    "participation:idea-image": {"slug": "space", "pk": "idea"},
    "participation:consultation": {"slug": "consultation"},
    "participation:statement-support": {"slug": "consultation", "pk": "statement"},
    "participation:projects": {}, "participation:project-new": {"idea_pk": "idea"},
    "participation:project": {"pk": "project"}, "participation:project-plan": {"pk": "project"},
    "participation:funding-application": {"pk": "project"}, "participation:project-leave": {"pk": "project"},
    "participation:flag": {"kind": "idea_kind", "pk": "idea"},
    "answers:ask": {}, "appointments:start": {}, "appointments:offices": {},
    "appointments:reserved": {"public_id": "booking"}, "appointments:confirm": {"token": "booking_token"},
    "appointments:manage": {"token": "booking_token"}, "appointments:cancel": {"token": "booking_token"},
    "appointments:ics": {"token": "booking_token"}, "appointments:book": {"office": "office"},
    "appointments:display": {"office": "office"}, "appointments:display-state": {"office": "office"},
    "appointments:counter": {}, "appointments:counter-day": {"office": "office"},
    "appointments:counter-call": {"office": "office"}, "appointments:counter-walk-in": {"office": "office"},
    "appointments:counter-statistics": {"office": "office"}, "appointments:counter-terminals": {"office": "office"},
    "appointments:counter-act": {"office": "office", "pk": "booking_pk", "action": "word"},
    "appointments:kiosk-activate": {"token": "signed_token"}, "appointments:kiosk": {},
    "appointments:kiosk-reset": {}, "appointments:kiosk-ticket": {},
    "appointments:visits": {}, "appointments:visit": {"pk": "visit"},
    "appointments:visit-confirm": {"token": "visit_token"},
    "appointments:visit-manage": {"token": "visit_token"}, "appointments:visit-cancel": {"token": "visit_token"},
    "appointments:home-visit": {},
    "offices:directory": {}, "offices:district-detail": {"slug": "office"}, "offices:detail": {"slug": "office"},
    "offices:finder": {}, "offices:office-contact": {"slug": "office"}, "offices:contact": {},
    "offices:contact-sent": {}, "opendata:list": {}, "opendata:catalogue": {"suffix": "catalogue_suffix"},
    "opendata:generated-file": {"key": "dataset", "fmt": "word"}, "opendata:series-api": {"slug": "dataset"},
    "opendata:dataset": {"slug": "dataset"}, "opendata:series-csv": {"slug": "dataset"},
    "opendata:download": {"slug": "dataset", "pk": "distribution"},
    "opendata:download-version": {"slug": "dataset", "pk": "distribution", "number": "number"},
    "wagtailcore_authenticate_with_password": {"page_view_restriction_id": "number", "page_id": "page"},
    "wagtailcore_login": {}, "wagtail_serve": {"arg0": "page_path"},
    # ours inside /cms/
    "django.views.generic.base.TemplateView": {}, "billing_subscription": {}, "offices-phone": {},
    "offices-phone-service": {"service_key": "service"},
    "applications_admin:inbox": {}, "applications_admin:assisted": {},
    "applications_admin:detail": {"public_id": "application"},
    "applications_admin:preview": {"public_id": "application"},
    "cms_go_live": {}, "cms_services_bulk": {}, "mfa:verify": {}, "mfa:enrol": {},
    "staff-sign-on:start": {}, "staff-sign-on:callback": {},
    "applications_admin:act": {"public_id": "application"}, "applications_admin:document": {"public_id": "application"},
    "applications_admin:attachment": {"public_id": "application", "attachment_id": "number"},
    "applications_admin:attachment-preview": {"public_id": "application", "attachment_id": "number"},
    "applications_admin:note": {"public_id": "application"}, "applications_admin:assign-bulk": {},
    "participation_admin:queue": {}, "participation_admin:participants": {}, "participation_admin:log": {},
    "participation_admin:reports": {}, "participation_admin:ideas": {}, "participation_admin:consultations": {},
    "participation_admin:item": {"kind": "idea_kind", "pk": "idea"},
    "participation_admin:moderate": {"kind": "idea_kind", "pk": "idea"},
    "participation_admin:block": {"pk": "participant"}, "participation_admin:report": {"pk": "report"},
    "participation_admin:report-act": {"pk": "report"}, "participation_admin:idea": {"pk": "idea"},
    "participation_admin:consultation": {"pk": "consultation_pk"},
    "opendata_admin:datasets": {}, "opendata_admin:dataset-new": {},
    "opendata_admin:dataset": {"pk": "dataset_pk"}, "opendata_admin:upload": {"pk": "dataset_pk"},
    "opendata_admin:link": {"pk": "dataset_pk"}, "opendata_admin:token": {"pk": "dataset_pk"},
    "opendata_admin:version": {"pk": "dataset_pk", "distribution_pk": "distribution"},
    # the platform host
    "platform-robots-txt": {}, "platform-home": {},
    "platform-api:openapi-json": {}, "platform-api:openapi-view": {}, "platform-api:api-root": {},
    "platform-api:platform_services": {}, "platform-api:platform_service": {"service_id": "service"},
    "platform-api:office_onboard": {}, "platform-api:office_onboarding_status": {"job_id": "number"},
    "opendata-platform:list": {}, "opendata-platform:catalogue": {"suffix": "catalogue_suffix"},
    "stripe-webhook": {}, "stripe-connect-webhook": {}, "office-login": {}, "office-logout": {},
    "office-catalogue": {}, "office-service-new": {}, "office-service": {"key": "service"},
    "office-service-edit": {"key": "service"}, "office-service-preview": {"key": "service"},
    "office-service-publish": {"key": "service"}, "office-service-form-import": {"key": "service"},
    "office-service-form-export": {"key": "service", "number": "number"}, "office-billing": {},
    "office-billing-plan-new": {}, "office-billing-plan": {"key": "word"},
    "office-billing-municipality": {"slug": "schema"}, "office-billing-subscribe": {"slug": "schema"},
    "office-billing-connect": {"slug": "schema"}, "office-billing-connect-return": {"slug": "schema"},
    "office-districts": {}, "office-district-office-new": {"key": "word"},
    "office-district-office": {"key": "word", "pk": "number"}, "office-articles": {}, "office-article-new": {},
    "office-article": {"pk": "number"}, "office-home": {}, "office-onboarding-new": {},
    "office-onboarding": {"job_id": "number"}, "office-audit": {}, "office-api-tokens": {},
    "office-onboarding-bulk": {}, "office-onboarding-bulk-status": {"bulk_id": "number"},
    "office-onboarding-bulk-confirm": {"bulk_id": "number"}, "office-onboarding-bulk-report": {"bulk_id": "number"},
    "office-api-token-revoke": {"token_id": "number"}, "office-announcements": {}, "office-dashboard": {},
    "office-dashboard-refresh": {}, "office-municipality": {"slug": "schema"}, "office-suspend": {"slug": "schema"},
    "office-resume": {"slug": "schema"}, "office-export-new": {"slug": "schema"}, "office-delete": {"slug": "schema"},
    "office-bundles": {}, "office-bundle-new": {}, "office-bundle": {"bundle_id": "bundle"},
    "office-export": {"export_id": "number"}, "office-restore": {"export_id": "number"},
}  # fmt: skip


def parameter_kinds(name: str, route: str, parameters: tuple[str, ...]) -> dict[str, str] | str:
    """The kind per parameter of a pattern, or the message that says where to add the pattern."""
    if name in ROUTES:
        missing = [p for p in parameters if p not in ROUTES[name]]
        return ROUTES[name] if not missing else f"ROUTES[{name!r}] lacks parameters {missing}"
    namespace = name.split(":", 1)[0] if ":" in name else ""
    wagtail = (namespace in WAGTAIL_NAMESPACES) or (not namespace and name.startswith("wagtail"))
    if route.startswith("cms/") and wagtail:
        kinds = {p: WAGTAIL_PARAMETERS[p] for p in parameters if p in WAGTAIL_PARAMETERS}
        if "pk" in parameters:
            kinds["pk"] = WAGTAIL_NAMESPACES.get(namespace, "number")
        missing = [p for p in parameters if p not in kinds]
        return kinds if not missing else f"WAGTAIL_PARAMETERS lacks {missing} (pattern {name!r})"
    return (
        f"URL pattern {name!r} (/{route}) has no entry in the isolation matrix: add it to ROUTES in "
        f"tests/security/isolation_matrix.py with the kind of Gera object each parameter names"
    )
