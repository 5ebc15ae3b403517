"""On a phone, in AppTest: the monthly reports' totals keep the units' names in view on
a phone (pinned in the phone's narrower column, the counts scrolling past them), and the key tasks' table has a
hint shown on a phone only (CSS: twomountains/ui/layout.py) saying it scrolls sideways."""
import json

import pytest

from twomountains.i18n import strings
from twomountains.ui import tasks_ui


def frame(element):
    return element.value.data if hasattr(element.value, "data") else element.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_totals_on_a_phone_pin_the_names_in_the_phone_column(app, lang):
    at = app("pages/reporting.py", half="2022H2", lang=lang)
    assert not at.exception
    desk, phone = at.dataframe[2], at.dataframe[3]          # [0], [1]: the grid on a desk and its month on a phone
    assert frame(phone).equals(frame(desk))                # the same counts of the same units
    columns = json.loads(phone.proto.columns)
    assert columns["unit_code"]["width"] == tasks_ui.PHONE_NAME_WIDTH and columns["unit_code"]["pinned"] is True
    assert "pinned" not in json.loads(desk.proto.columns)["unit_code"]
    hint = strings(lang)["review23.sideways.columns"]
    assert hint in [c.value for c in at.caption]


def test_the_key_tasks_table_sits_under_a_phone_hint(app):
    at = app("pages/tasks.py", lang="en")
    assert not at.exception
    hints = [h for h in at.get("html") if "tm-sideways-hint" in h.proto.body]
    assert len(hints) == 1 and strings("en")["review23.sideways.columns"] in hints[0].proto.body
