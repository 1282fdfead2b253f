"""A table with nothing in it says so in one cell across its columns: on a phone, no column heading stands beside
"No open actions." as if it were a value (responsive tables repeat their headings in each cell)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.fixtures import client_for

pytestmark = pytest.mark.django_db


def empty_cells(response, text: str) -> list:
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [cell for cell in page.select("td, p") if text in cell.get_text()]


@pytest.mark.parametrize(
    "url_name, says",
    [("reporting:dashboard", "No open actions."), ("governance:risk_heat_map", "No open risks.")],
)
def test_an_empty_list_says_so_without_a_column_heading_beside_it(client, world, url_name, says):
    response = client_for(client, world, "lead").get(reverse(url_name, args=["QZZ"]))
    assert response.status_code == 200
    cells = empty_cells(response, says)
    assert cells, f"{says!r} is not on the page"
    for cell in cells:
        assert cell.select(".nhsuk-table-responsive__heading, .nhsuk-table__heading") == []
        assert " ".join(cell.get_text(" ").split()) == says
