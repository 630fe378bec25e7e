"""Every `wangge` command answers a refused permission or a bad argument with one clear line on stderr
and exit status 2 (core/management/base.py), never a traceback."""

import pytest
from django.core.management import ManagementUtility, get_commands, load_command_class

from wangge.core.management.base import CleanErrors


def test_every_command_of_ours_uses_the_shared_base():
    ours = {name: app for name, app in get_commands().items() if app.startswith("wangge")}
    assert len(ours) >= 15
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), CleanErrors), name


@pytest.mark.parametrize("argv, words", [
    (["import", "premises", "f.csv", "--user", "leader"], "permission refused"),  # a leader may not import premises
    (["import", "nonsense", "f.csv"], "unknown kind"),
    (["token", "create", "nosuchuser"], "no such user"),
    (["overdue", "--today", "soon"], "--today"),
    (["import"], "required"),
    (["token", "fly"], "invalid choice"),
])
def test_refusals_and_bad_arguments_are_one_line_and_exit_2(world, tmp_path, monkeypatch, capsys, argv, words):
    from tests.inspections.helpers import checklists

    checklists()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.csv").write_text("名称,类别,地址\n老李面馆,餐饮,仙霞西路7号\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        ManagementUtility(["wangge", *argv]).execute()
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert done.value.code == 2, err
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in err, err
