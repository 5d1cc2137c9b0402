from django.urls import path

from outsourcing.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("board-pack/", views.board_pack_start, name="board-pack-start"),
    path("board-pack/<int:pk>/", views.board_pack_detail, name="board-pack"),
    path("board-pack/<int:pk>/status.json", views.board_pack_status, name="board-pack-status"),
    path("board-pack/<int:pk>/download/", views.board_pack_download, name="board-pack-download"),
    path("<slug:name>.json", views.figure_json, name="dashboard-figure"),
]
