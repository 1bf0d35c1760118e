from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.request_list, name="list"),
    path("consultations/ask/", views.ask, name="ask"),
    path("consultations/board/", views.board, name="board"),
    path("consultations/faq/", views.faq, name="faq"),
    path("consultations/<int:pk>/", views.request_detail, name="detail"),
    path("consultations/<int:pk>/take/", views.take, name="take"),
    path("consultations/<int:pk>/answer/", views.answer, name="answer"),
    path("consultations/<int:pk>/rate/", views.rate, name="rate"),
    path("consultations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("consultations/<int:pk>/faq/", views.publish, name="publish"),
    path("consultations/attachments/<int:pk>/", views.attachment, name="attachment"),
]
