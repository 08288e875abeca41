from django.urls import include, path

from console import affiliations, badge_classes, owner, views
from console.two_factor import guard_console

app_name = "console"

urlpatterns = [
    path("", views.hubs, name="hubs"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/issue/", views.issue, name="issue"),
    path("<slug:slug>/bulk/", views.bulk_issue, name="bulk_issue"),
    path("<slug:slug>/bulk/template.csv", views.bulk_template, name="bulk_template"),
    path("<slug:slug>/bulk/<int:batch_id>/", views.batch, name="batch"),
    path("<slug:slug>/bulk/<int:batch_id>/retry/", views.batch_retry, name="batch_retry"),
    path("<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("<slug:slug>/affiliations/", affiliations.affiliations, name="affiliations"),
    path("<slug:slug>/people/", owner.staff, name="staff"),
    path("<slug:slug>/people/<int:membership_id>/", owner.member_change, name="member_change"),
    path("<slug:slug>/people/<int:membership_id>/remove/", owner.member_remove, name="member_remove"),
    path("<slug:slug>/keys/", owner.keys, name="keys"),
    path("<slug:slug>/keys/rotate/", owner.key_rotate, name="key_rotate"),
    path("<slug:slug>/keys/<slug:public_id>/revoke/", owner.key_revoke, name="key_revoke"),
    path("<slug:slug>/profile/", owner.profile, name="profile"),
    path("<slug:slug>/classes/", badge_classes.badge_classes, name="badge_classes"),
    path("<slug:slug>/classes/new/", badge_classes.badge_class_new, name="badge_class_new"),
    path("<slug:slug>/classes/<slug:public_id>/", badge_classes.badge_class_edit, name="badge_class_edit"),
    path("<slug:slug>/endorsements/", include("console.endorsements")),
    path("<slug:slug>/assertions/", views.assertions, name="assertions"),
    path("<slug:slug>/assertions.csv", views.assertions_export, name="assertions_export"),
    path("<slug:slug>/assertions/revoke/", views.assertions_revoke, name="assertions_revoke"),
    path("<slug:slug>/assertions/<slug:public_id>/", views.assertion, name="assertion"),
    path("<slug:slug>/assertions/<slug:public_id>/revoke/", views.assertion_revoke, name="assertion_revoke"),
    path("<slug:slug>/assertions/<slug:public_id>/resend/", views.assertion_resend, name="assertion_resend"),
]

# A hub that requires two-factor authentication sends whoever has not set it up to do so, from every page.
guard_console(urlpatterns)
