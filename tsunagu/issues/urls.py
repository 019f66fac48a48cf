from django.urls import path

from . import job_views, report_views, views

app_name = "issues"

urlpatterns = [
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/escalate/", views.issue_escalate, name="issue_escalate"),
    path("issues/suggest/", views.issue_suggest, name="issue_suggest"),
    path("issues/themes/", views.theme_list, name="theme_list"),
    path("issues/themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("issues/overview/", report_views.issue_overview, name="issue_overview"),
    path("issues/documents/", report_views.city_documents, name="city_documents"),
    path("issues/documents.xlsx", report_views.city_documents_xlsx, name="city_documents_xlsx"),
    path("issues/documents.pdf", job_views.city_documents_pdf, name="city_documents_pdf"),
    path(
        "issues/documents/jobs/<uuid:pk>/",
        job_views.city_documents_job,
        name="city_documents_job",
    ),
    path(
        "issues/documents/jobs/<uuid:pk>/download/",
        job_views.city_documents_job_download,
        name="city_documents_job_download",
    ),
    path("issues/mining/", report_views.mining_page, name="mining"),
    path("issues/mining/<int:pk>/", report_views.mining_job, name="mining_job"),
    path(
        "issues/mining/<int:pk>/network.svg",
        report_views.mining_network,
        name="mining_network",
    ),
    path("issues/mining/<int:pk>/kwic/", report_views.mining_kwic, name="mining_kwic"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path(
        "issues/<int:pk>/discussions/new/",
        views.discussion_create,
        name="discussion_create",
    ),
    path("issues/<int:pk>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path(
        "proposals/<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path("reviews/<int:pk>/tags/", views.review_tags, name="review_tags"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("tags/<int:pk>/edit/", views.tag_edit, name="tag_edit"),
]
