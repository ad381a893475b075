"""Knowledge articles in the municipality's /cms/ (Snippets → Knowledge articles)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from answers.local.models import LocalArticle


class LocalArticleViewSet(SnippetViewSet):
    model = LocalArticle
    icon = "help"
    menu_label = _("Knowledge articles")
    add_to_admin_menu = True
    list_display = ["title_de", "source", "updated"]


register_snippet(LocalArticleViewSet)
