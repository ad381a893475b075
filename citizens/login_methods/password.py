"""Login method "password": the account's e-mail address and password, and magic links (trust level low).

Its pages predate the registry and keep their paths (``citizens.accounts``); this module only offers them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from citizens.login_methods import Button, LoginMethod, Wanted, register

KEY = "password"


def buttons(request: HttpRequest, wanted: Wanted) -> list[Button]:
    url = f"{reverse('citizens:log-in')}?{urlencode({'next': wanted.next_path})}"
    return [Button(label=gettext_lazy("E-mail address and password"), url=url, level="low", method=KEY)]


register(LoginMethod(key=KEY, label=gettext_lazy("E-mail address and password"), buttons=buttons, order=0))
