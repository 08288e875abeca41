from django.urls import path

from passport.console import views

app_name = "console"

urlpatterns = [
    path("", views.hubs, name="hubs"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/issue/", views.issue, name="issue"),
    path("<slug:slug>/bulk/", views.bulk_issue, name="bulk_issue"),
    path("<slug:slug>/bulk/<int:batch_id>/", views.batch, name="batch"),
    path("<slug:slug>/bulk/<int:batch_id>/retry/", views.batch_retry, name="batch_retry"),
    path("<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("<slug:slug>/assertions/", views.assertions, name="assertions"),
    path("<slug:slug>/assertions.csv", views.assertions_export, name="assertions_export"),
    path("<slug:slug>/assertions/revoke/", views.assertions_revoke, name="assertions_revoke"),
    path("<slug:slug>/assertions/<slug:public_id>/", views.assertion, name="assertion"),
    path("<slug:slug>/assertions/<slug:public_id>/revoke/", views.assertion_revoke, name="assertion_revoke"),
    path("<slug:slug>/assertions/<slug:public_id>/resend/", views.assertion_resend, name="assertion_resend"),
]
