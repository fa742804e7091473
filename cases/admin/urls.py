"""Admin URLs of the working pages: 推荐 (recommenders), 活动工作台 and 借鉴报告 (secretariat), 我的评审 (reviewers)."""

from django.urls import path

from . import (
    adoption_views,
    assignment_views,
    campaign_dashboard,
    nomination_views,
    objection_views,
    pool_views,
    review_views,
    selection_views,
)

nomination_urls = [
    path("", nomination_views.NominationIndexView.as_view(), name="index"),
    path("<int:campaign_id>/<int:category_id>/", nomination_views.NominationRankView.as_view(), name="rank"),
    path("<int:campaign_id>/sheet.xlsx", nomination_views.NominationSheetView.as_view(), name="sheet"),
]

desk_urls = [
    path("", campaign_dashboard.DeskIndexView.as_view(), name="index"),
    path("<int:campaign_id>/", campaign_dashboard.CampaignDashboardView.as_view(), name="dashboard"),
    path("<int:campaign_id>/check/", campaign_dashboard.FormalCheckView.as_view(), name="check"),
    path("<int:campaign_id>/check.xlsx", campaign_dashboard.FormalCheckSheetView.as_view(), name="check_xlsx"),
    path("<int:campaign_id>/pool/", pool_views.PoolView.as_view(), name="pool"),
    path("<int:campaign_id>/pool/<int:member_id>/", pool_views.PoolMemberView.as_view(), name="pool_member"),
    path("<int:campaign_id>/assignments/", assignment_views.AssignmentsView.as_view(), name="assignments"),
    path("<int:campaign_id>/ranking/", selection_views.RankingView.as_view(), name="ranking"),
    path("<int:campaign_id>/ranking.xlsx", selection_views.RankingSheetView.as_view(), name="ranking_xlsx"),
    path("<int:campaign_id>/scores.xlsx", selection_views.ScoreSheetView.as_view(), name="scores_xlsx"),
    path("<int:campaign_id>/notice/", objection_views.NoticeView.as_view(), name="notice"),
    path("objections/<int:pk>/", objection_views.ObjectionView.as_view(), name="objection"),
    path("objections/<int:pk>/evidence/", objection_views.ObjectionEvidenceView.as_view(), name="objection_evidence"),
]

review_urls = [
    path("", review_views.MyReviewsView.as_view(), name="index"),
    path("<int:pk>/", review_views.ScoreView.as_view(), name="score"),
]

adoption_urls = [
    path("", adoption_views.AdoptionListView.as_view(), name="index"),
    path("<int:pk>/", adoption_views.AdoptionView.as_view(), name="report"),
]
