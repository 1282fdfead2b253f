"""A new partnership's dashboard and heat map, with no actions and no risks yet, fit a 320 px screen and pass axe:
their "nothing yet" lines are not squeezed into a phone's stacked table."""

import pytest

from .conftest import assert_accessible, sign_in
from .test_reflow import overflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/partnerships/QZZ/dashboard/", "/partnerships/QZZ/risks/heat-map/"])
def test_empty_lists_fit_a_320_pixel_screen(page, world, path):
    sign_in(page, "lead")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.goto(path).status == 200
    assert overflow(page) == 0, f"{path} scrolls sideways at 320 px"
    assert_accessible(page)
