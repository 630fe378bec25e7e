"""How a ledger names grids and people, both ways: an export writes names a person reads (a grid's name,
"王医生（wangys）" for a person), and an import takes those back, as well as the codes and usernames
older files carry. Shared by every ledger kind, so a file exported from one list re-imports."""

import re

from ..models import Area, AreaLevel
from ..validators import normalise
from .columns import header_key

_BRACKETED = re.compile(r"^(?P<name>.*?)\s*[（(](?P<username>[^（）()]+)[）)]\s*$")


def grid_lookup(areas) -> dict:
    """{code or header_key(name): grid} over the grids of `areas` (a queryset the actor may use)."""
    grids = {}
    for grid in areas.filter(level=AreaLevel.GRID):
        grids[grid.code] = grids[header_key(grid.name)] = grid
    return grids


def visible_grids(actor) -> dict:
    return grid_lookup(Area.objects.visible_to(actor))


def find_grid(grids: dict, text: str):
    text = normalise(text)
    return grids.get(text) or grids.get(header_key(text))


class PersonCell(str):
    """A person in an exported cell: "王医生（wangys）", which re-imports; a printed list shows `.name`."""

    name: str


def person_label(user) -> str:
    """A person as an export names them: the name with the username that makes it unique."""
    if user is None:
        return ""
    label = f"{user.full_name}（{user.username}）" if user.full_name and user.full_name != user.username else (
        user.username)
    cell = PersonCell(label)
    cell.name = str(user)
    return cell


def person_lookup(users) -> dict:
    """{key: user} by username, and by full name where only one of `users` has it."""
    found, by_name = {}, {}
    for user in users:
        found[user.username.lower()] = user
        if user.full_name:
            by_name.setdefault(user.full_name, []).append(user)
    for name, same in by_name.items():
        if len(same) == 1:
            found.setdefault(name, same[0])
    return found


def find_person(people: dict, text: str):
    """The user a cell names: "王医生（wangys）", "wangys" or a name no one else has; None if none."""
    text = normalise(text)
    match = _BRACKETED.match(text)
    if match:
        return people.get(match["username"].strip().lower())
    return people.get(text.lower()) or people.get(text)
