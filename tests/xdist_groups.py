"""Tests that share an expensive fixture run on one xdist worker (``-p tests.xdist_groups``, pyproject.toml).

With ``-n 2`` xdist hands out tests one by one, and a session or module fixture is built once per worker that gets
one of its tests: both workers built the demo database (``migrate_all`` and ``seed_demo``, a minute or more each),
and modules with a committed municipality and its server were set up twice when split. Here each such test gets a
group, and the scheduler hands out each group whole, the largest first (ADR 0098):

* the tests of the demo database (accessibility, CSP, the English demo, ``make serve``), of the session's Celery
  worker and of the moto S3 server, one group each;
* the tests of a module fixture defined outside tests/conftest.py, one group per module; of such a session
  fixture, one group per folder or module that defines it;
* ``xdist_group`` marks, as xdist's ``--dist loadgroup`` does.

xdist's own ``loadgroup`` renames the tests to carry their group, which pytest 9.2 no longer allows (node ids are
structured). So the workers write each test's group to a file when they have collected, and the controller's
scheduler (xdist's per-scope scheduling) reads it when it splits the run into units.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

# Session fixtures of tests/conftest.py that cost a worker seconds to minutes and are needed by few tests.
SHARED_ON_ONE_WORKER = {"demo_database": "demo", "celery_worker_process": "celery-worker", "s3_server": "s3"}
_FOLDER = "AMTSPLATZ_TEST_GROUPS"  # where the workers write their groups; set by the controller for its workers


def group_of(item: pytest.Item) -> str | None:
    """The group ``item`` runs in, or None when it may run anywhere."""
    marks = sorted(str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                   for mark in item.iter_markers("xdist_group"))  # fmt: skip
    if marks:
        return "_".join(marks)
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name, group in SHARED_ON_ONE_WORKER.items():
        if name in info.names_closure:
            return group
    for definitions in info.name2fixturedefs.values():
        definition = definitions[-1]
        if definition.baseid in ("", "tests"):  # pytest-django's and tests/conftest.py's: every worker needs them
            continue
        if definition.scope == "module":
            return item.nodeid.split("::")[0]
        if definition.scope == "session":
            return str(definition.baseid)
    return None


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        os.environ[_FOLDER] = tempfile.mkdtemp(prefix="amtsplatz-test-groups-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and os.environ.get(_FOLDER):
        shutil.rmtree(os.environ.pop(_FOLDER), ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or not os.environ.get(_FOLDER):
        return
    groups = {item.nodeid: group for item in items if (group := group_of(item)) is not None}
    target = Path(os.environ[_FOLDER]) / f"{workerinput['workerid']}.json"
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(groups), encoding="utf-8")
    partial.replace(target)  # the controller never reads half a file


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class SharedFixtureScheduling(LoadScopeScheduling):
        """xdist's per-scope scheduling with the groups the workers found: one unit per group, else per test."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # read once every worker has collected (xdist splits only then)
                found = sorted(Path(os.environ[_FOLDER]).glob("*.json"))
                self.groups = json.loads(found[0].read_text(encoding="utf-8")) if found else {}
            return self.groups.get(nodeid, nodeid)

    return SharedFixtureScheduling(config, log)
