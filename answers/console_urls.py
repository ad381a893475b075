from django.urls import path

from answers import console

urlpatterns = [
    path("", console.articles, name="office-articles"),
    path("new/", console.article_edit, name="office-article-new"),
    path("<int:pk>/", console.article_edit, name="office-article"),
]
