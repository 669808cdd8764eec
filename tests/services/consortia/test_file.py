"""Reading consortium files (CSV, Excel, JSON) and writing the template."""

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from clusterbridge.domain.consortium import Consortium, Partner
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.consortia.file import (
    CONSORTIUM_COLUMNS,
    REQUIRED_COLUMNS,
    parse_rows,
    read_consortium,
    write_template,
)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
PACKAGE_TEMPLATE = REPO / "src" / "clusterbridge" / "templates_data" / "consortium-template.csv"
KNOWN = ", ".join(CONSORTIUM_COLUMNS)
ORG_TYPES = (
    "cluster_organisation, cluster_network, business_network, sme, large_enterprise, "
    "technology_centre, research_organisation, university, public_body, other, natural_person"
)
ROLES = "coordinator, beneficiary, affiliated_entity, associated_partner"
REGISTRY = (
    "the partner registry is not available yet, so a PIC alone cannot identify a partner: "
    "name and country are required"
)

TEMPLATE_PARTNERS = (
    Partner(
        name="Isar Smart Manufacturing Cluster e.V.",
        country="DE",
        nuts="DE212",
        type=OrgType.CLUSTER_ORGANISATION,
        legal_entity=True,
        eccp_registered=True,
        role=Role.COORDINATOR,
        email="contact@isar-cluster.example.org",
        website="https://isar-cluster.example.org",
    ),
    Partner(
        name="Pôle Numérique Industriel Île-de-France",
        country="FR",
        nuts="FR101",
        type=OrgType.CLUSTER_ORGANISATION,
        legal_entity=True,
        eccp_registered=True,
        role=Role.BENEFICIARY,
    ),
    Partner(
        name="Klaster Wodorowy Podkarpacie",
        country="PL",
        nuts="PL823",
        type=OrgType.CLUSTER_ORGANISATION,
        legal_entity=True,
        eccp_registered=True,
        role=Role.BENEFICIARY,
    ),
    Partner(
        name="Clúster Català de Fabricació Digital",
        country="ES",
        nuts="ES511",
        type=OrgType.CLUSTER_ORGANISATION,
        legal_entity=True,
        eccp_registered=True,
        role=Role.BENEFICIARY,
    ),
    Partner(
        name="Centro Tecnologico Meneghino per la Manifattura",
        country="IT",
        nuts="ITC4C",
        type=OrgType.TECHNOLOGY_CENTRE,
        legal_entity=True,
        eccp_registered=False,
        role=Role.BENEFICIARY,
    ),
    Partner(
        name="Daugava Sensor Systems SIA",
        country="LV",
        type=OrgType.SME,
        sme_profile=SmeProfile.TECH_SAVVY,
        legal_entity=True,
        eccp_registered=False,
        role=Role.BENEFICIARY,
    ),
)

#: A complete, valid row; tests override single cells of it.
VALID_ROW: dict[str, str] = {
    "name": "Valid Cluster",
    "country": "DE",
    "nuts": "DE212",
    "type": "cluster_organisation",
    "sme_profile": "",
    "legal_entity": "yes",
    "eccp_registered": "yes",
    "role": "beneficiary",
    "id": "",
    "pic": "",
    "email": "",
    "website": "",
}


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def write_rows(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",") -> Path:
    """A CSV file with every column in the header and one line per row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CONSORTIUM_COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows({**dict.fromkeys(CONSORTIUM_COLUMNS, ""), **row} for row in rows)
    return path


def read_issues(path: Path) -> list[InputIssue]:
    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)
    return list(caught.value.issues)


# ---------------------------------------------------------------------------- the template


def test_template_csv_parses_to_the_expected_partners(tmp_path: Path) -> None:
    path = tmp_path / "consortium.csv"
    write_template(path)

    consortium = read_consortium(path)

    assert consortium == Consortium(partners=TEMPLATE_PARTNERS)


def test_template_xlsx_parses_to_the_expected_partners(tmp_path: Path) -> None:
    path = tmp_path / "consortium.xlsx"
    write_template(path)

    consortium = read_consortium(path)

    assert consortium.partners == TEMPLATE_PARTNERS


def test_template_examples_are_the_shipped_template() -> None:
    shipped = PACKAGE_TEMPLATE.read_bytes()

    example_csv = (REPO / "examples" / "consortium-template.csv").read_bytes()
    example_xlsx = read_consortium(REPO / "examples" / "consortium-template.xlsx")

    assert example_csv == shipped
    assert example_xlsx.partners == TEMPLATE_PARTNERS


def test_template_header_is_every_column() -> None:
    header = PACKAGE_TEMPLATE.read_text(encoding="utf-8").splitlines()[0]

    assert tuple(header.split(",")) == CONSORTIUM_COLUMNS
    assert REQUIRED_COLUMNS == ("name", "country")


def test_write_template_with_other_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        write_template(tmp_path / "consortium.ods")

    assert caught.value.issues == (
        InputIssue("consortium.ods", "", ".ods is not a template format; use .csv or .xlsx"),
    )


# ---------------------------------------------------------------------------- the formats


def test_read_csv_with_semicolons_and_bom(tmp_path: Path) -> None:
    text = "\ufeffName;Country;NUTS;Legal-Entity;ECCP registered\nAlfa Klaster;pl;pl823;y;\n"
    path = write_text(tmp_path / "consortium.csv", text)

    consortium = read_consortium(path)

    assert consortium.partners == (
        Partner(name="Alfa Klaster", country="PL", nuts="PL823", legal_entity=True),
    )


def test_read_csv_that_is_not_utf8(tmp_path: Path) -> None:
    path = write_text(tmp_path / "consortium.csv", "name,country\nPôle,FR\n", encoding="latin-1")

    issues = read_issues(path)

    reason = 'the file is not UTF-8 text (byte 0xf4); save it as UTF-8 (in Excel: "CSV UTF-8")'
    assert issues == [InputIssue("line 2", "", reason)]


def test_read_csv_counts_lines_of_quoted_cells_and_blank_lines(tmp_path: Path) -> None:
    text = 'name,country,email\n"Two\nLines",DE,\n\nBad Mail,DE,nope\n'
    path = write_text(tmp_path / "consortium.csv", text)

    issues = read_issues(path)

    assert issues == [InputIssue("line 5", "email", '"nope" is not an email address')]


def test_read_xlsx_with_numbers_and_booleans(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append([])
    sheet.append(["name", "country", "id", "pic", "legal_entity", "eccp_registered"])
    sheet.append(["Nord Cluster", "DK", 999999999, None, True, False])
    sheet.append(["Syd Cluster", "SE", None, 912345678.0, False, True])
    workbook.save(tmp_path / "consortium.xlsx")

    consortium = read_consortium(tmp_path / "consortium.xlsx")

    assert consortium.partners == (
        Partner(
            name="Nord Cluster",
            country="DK",
            pic="999999999",
            legal_entity=True,
            eccp_registered=False,
        ),
        Partner(
            name="Syd Cluster",
            country="SE",
            pic="912345678",
            legal_entity=False,
            eccp_registered=True,
        ),
    )


def test_read_xlsx_reports_sheet_row_numbers(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append([])
    sheet.append(["name", "country", "pic"])
    sheet.append(["Nord Cluster", "DK", 12345])
    workbook.save(tmp_path / "consortium.xlsx")

    issues = read_issues(tmp_path / "consortium.xlsx")

    assert issues == [
        InputIssue("row 3", "pic", '"12345" is not a PIC: a PIC has exactly 9 digits')
    ]


def test_read_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = write_text(tmp_path / "consortium.xlsx", "name,country\n")

    issues = read_issues(path)

    assert issues == [
        InputIssue("consortium.xlsx", "", "the file is not an Excel workbook (.xlsx)")
    ]


def test_read_json_list_of_partners(tmp_path: Path) -> None:
    items = [
        {"name": "Nord Cluster", "country": "DK", "legal_entity": True, "id": 999999999},
        {"name": "Syd Cluster", "country": "SE", "eccp_registered": False, "nuts": None},
    ]
    path = write_text(tmp_path / "consortium.json", json.dumps(items))

    consortium = read_consortium(path)

    assert consortium == Consortium(
        partners=(
            Partner(name="Nord Cluster", country="DK", legal_entity=True, pic="999999999"),
            Partner(name="Syd Cluster", country="SE", eccp_registered=False),
        )
    )


def test_read_json_object_with_name(tmp_path: Path) -> None:
    document = {"name": "Baltic Sensors", "partners": [{"name": "Riga Lab", "country": "LV"}]}
    path = write_text(tmp_path / "consortium.json", json.dumps(document))

    consortium = read_consortium(path)

    assert consortium == Consortium(
        partners=(Partner(name="Riga Lab", country="LV"),), name="Baltic Sensors"
    )


def test_read_json_reports_partner_index(tmp_path: Path) -> None:
    items = [{"name": "Nord Cluster", "country": "DK"}, {"name": "Syd", "country": "XX"}]
    path = write_text(tmp_path / "consortium.json", json.dumps(items))

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    reason = '"XX" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK'
    assert caught.value.summary == "consortium.json has 1 problem"
    assert caught.value.issues == (InputIssue("partner 2", "country", reason),)


def test_read_json_malformed(tmp_path: Path) -> None:
    path = write_text(tmp_path / "consortium.json", '[\n  {"name": "A",\n   "country" "DE"}\n]')

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.summary == "consortium.json is not valid JSON"
    assert caught.value.issues == (InputIssue("line 3, column 14", "", "Expecting ':' delimiter"),)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"title": "X", "partners": {}},
            [
                InputIssue("c.json", "title", 'unknown key; use "name" and "partners"'),
                InputIssue("c.json", "partners", "give the partners as a list of objects"),
            ],
        ),
        (
            "partners",
            [
                InputIssue(
                    "c.json",
                    "",
                    'expected a list of partners, or an object with "partners" '
                    'and an optional "name"',
                )
            ],
        ),
        (
            [{"name": "A", "country": "DE"}, "B", {"name": ["A"], "country": "DE"}],
            [
                InputIssue("partner 2", "", "expected an object of column: value"),
                InputIssue(
                    "partner 3", "name", "a value must be text, a number, true, false or null"
                ),
            ],
        ),
    ],
)
def test_read_json_with_wrong_shape(
    tmp_path: Path, document: object, expected: list[InputIssue]
) -> None:
    path = write_text(tmp_path / "c.json", json.dumps(document))

    issues = read_issues(path)

    assert issues == expected


def test_read_unsupported_suffix(tmp_path: Path) -> None:
    path = write_text(tmp_path / "consortium.ods", "")

    issues = read_issues(path)

    reason = ".ods is not a consortium format; use .csv, .xlsx or .json"
    assert issues == [InputIssue("consortium.ods", "", reason)]


def test_read_missing_file(tmp_path: Path) -> None:
    issues = read_issues(tmp_path / "absent.csv")

    assert issues == [InputIssue("absent.csv", "", "No such file or directory")]


# ---------------------------------------------------------------------------- the header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "name,country,adress",
            [InputIssue("line 1", "adress", f"is not a known column; the columns are: {KNOWN}")],
        ),
        (
            "name,nuts",
            [InputIssue("line 1", "country", "the column is missing")],
        ),
        (
            "name,country,Name",
            [InputIssue("line 1", "Name", "the column is given more than once")],
        ),
        (
            "Legal Entity,nuts",
            [
                InputIssue("line 1", "name", "the column is missing"),
                InputIssue("line 1", "country", "the column is missing"),
            ],
        ),
    ],
)
def test_read_csv_with_bad_header(tmp_path: Path, header: str, expected: list[InputIssue]) -> None:
    path = write_text(tmp_path / "consortium.csv", f"{header}\nA,DE,x\n")

    issues = read_issues(path)

    assert issues == expected


@pytest.mark.parametrize("text", ["", "\n\n", "name,country\n", "name,country\n,\n\n"])
def test_read_csv_without_partners(tmp_path: Path, text: str) -> None:
    path = write_text(tmp_path / "consortium.csv", text)

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    reason = "there are no partners: give one partner a row, with at least a name and a country"
    assert caught.value.summary == "consortium.csv has no partners"
    assert caught.value.issues == (InputIssue("consortium.csv", "", reason),)


def test_read_csv_value_without_header(tmp_path: Path) -> None:
    path = write_text(tmp_path / "consortium.csv", "name,country,\nA,DE,stray\n")

    issues = read_issues(path)

    assert issues == [InputIssue("line 2", "", '"stray" is in a column without a header')]


# ---------------------------------------------------------------------------- the cells


def test_read_only_name_and_country_leaves_the_rest_unknown(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "consortium.csv", [{"name": "Solo", "country": "AT"}])

    consortium = read_consortium(path)

    assert consortium.partners == (
        Partner(
            name="Solo",
            country="AT",
            nuts=None,
            type=None,
            sme_profile=None,
            legal_entity=None,
            eccp_registered=None,
            role=None,
            pic=None,
            email=None,
            website=None,
        ),
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"country": "gr", "nuts": "gr30"}, {"country": "EL", "nuts": "GR30"}),
        ({"country": "Greece", "nuts": "EL303"}, {"country": "EL", "nuts": "EL303"}),
        ({"country": "GB", "nuts": "UKI3"}, {"country": "UK", "nuts": "UKI3"}),
        ({"country": "LV", "nuts": ""}, {"country": "LV", "nuts": None}),
        ({"type": "Cluster Organisation"}, {"type": OrgType.CLUSTER_ORGANISATION}),
        ({"type": "SME", "sme_profile": "Tech-Savvy"}, {"sme_profile": SmeProfile.TECH_SAVVY}),
        ({"legal_entity": "Y", "eccp_registered": "n"}, {"legal_entity": True}),
        ({"legal_entity": "TRUE", "eccp_registered": "0"}, {"eccp_registered": False}),
        ({"legal_entity": "1", "eccp_registered": "False"}, {"legal_entity": True}),
        ({"role": "Associated Partner"}, {"role": Role.ASSOCIATED_PARTNER}),
        ({"id": "999999999", "pic": "999999999"}, {"pic": "999999999"}),
        ({"pic": " 912345678 "}, {"pic": "912345678"}),
        ({"email": "office@cluster.example.org"}, {"email": "office@cluster.example.org"}),
        ({"website": "www.cluster.example.org"}, {"website": "https://www.cluster.example.org"}),
        (
            {"website": "http://cluster.example.org/en"},
            {"website": "http://cluster.example.org/en"},
        ),
    ],
)
def test_read_accepted_cells(
    tmp_path: Path, cells: dict[str, str], expected: dict[str, object]
) -> None:
    path = write_rows(tmp_path / "consortium.csv", [{**VALID_ROW, **cells}])

    (partner,) = read_consortium(path).partners

    actual = {field: getattr(partner, field) for field in expected}
    assert actual == expected


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        (
            {"country": "XX"},
            "country",
            '"XX" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK',
        ),
        ({"nuts": "PL99"}, "nuts", '"PL99" is not a NUTS code of any version 2006–2024'),
        ({"country": "FR"}, "nuts", "NUTS code DE212 is in DE, not FR"),
        ({"country": "EL", "nuts": "UKI3"}, "nuts", "NUTS code UKI3 is in UK, not EL"),
        (
            {"type": "foo"},
            "type",
            f'"foo" is not an organisation type; use one of: {ORG_TYPES}',
        ),
        (
            {"type": "sme", "sme_profile": "modern"},
            "sme_profile",
            '"modern" is not an SME profile; use one of: traditional, tech_savvy',
        ),
        (
            {"sme_profile": "traditional"},
            "sme_profile",
            "only an SME has an SME profile, and this partner is a cluster organisation",
        ),
        ({"legal_entity": "maybe"}, "legal_entity", '"maybe" is not yes or no'),
        ({"eccp_registered": "si"}, "eccp_registered", '"si" is not yes or no'),
        ({"role": "leader"}, "role", f'"leader" is not a role; use one of: {ROLES}'),
        ({"id": "12345"}, "id", '"12345" is not a PIC: a PIC has exactly 9 digits'),
        (
            {"pic": "12345678X"},
            "pic",
            '"12345678X" is not a PIC: a PIC has exactly 9 digits',
        ),
        (
            {"id": "999999999", "pic": "888888888"},
            "pic",
            "id 999999999 and pic 888888888 differ; give the PIC once",
        ),
        ({"email": "office.example.org"}, "email", '"office.example.org" is not an email address'),
        (
            {"website": "ftp://example.org"},
            "website",
            '"ftp://example.org" is not a website; '
            "give an http(s) address or a domain like example.org",
        ),
        ({"name": ""}, "name", "is required"),
        ({"country": "", "nuts": ""}, "country", "is required"),
        ({"name": "", "country": "", "nuts": "", "id": "999999999"}, "id", REGISTRY),
    ],
)
def test_read_bad_cell(tmp_path: Path, cells: dict[str, str], column: str, reason: str) -> None:
    rows = [{**VALID_ROW, "name": "First Cluster"}, {**VALID_ROW, **cells}]
    path = write_rows(tmp_path / "consortium.csv", rows)

    issues = read_issues(path)

    assert issues == [InputIssue("line 3", column, reason)]


#: A registry organisation as CORDIS records it: a research organisation flagged as an SME,
#: so the registry derived an SME profile for it.
RECORDED_RESEARCH = Partner(
    name="AIDIMME",
    country="ES",
    nuts="ES523",
    type=OrgType.RESEARCH_ORGANISATION,
    sme_profile=SmeProfile.TECH_SAVVY,
    legal_entity=True,
    pic="999999001",
)


def _registry(pics: object) -> dict[str, Partner]:
    return {"999999001": RECORDED_RESEARCH}


def test_read_registry_row_keeps_the_recorded_sme_profile_of_a_non_sme() -> None:
    rows: list[dict[str, str | None]] = [{"id": "999999001", "role": "beneficiary"}]

    consortium = parse_rows(rows, source="consortium.csv", first_line=2, registry=_registry)

    assert consortium.partners == (
        Partner(
            name="AIDIMME",
            country="ES",
            nuts="ES523",
            type=OrgType.RESEARCH_ORGANISATION,
            sme_profile=SmeProfile.TECH_SAVVY,
            legal_entity=True,
            role=Role.BENEFICIARY,
            pic="999999001",
        ),
    )


def test_read_registry_row_refuses_a_typed_sme_profile_for_a_non_sme() -> None:
    rows: list[dict[str, str | None]] = [{"id": "999999001", "sme_profile": "traditional"}]

    with pytest.raises(InvalidInputError) as caught:
        parse_rows(rows, source="consortium.csv", first_line=2, registry=_registry)

    reason = "only an SME has an SME profile, and this partner is a research organisation"
    assert caught.value.issues == (InputIssue("row 2", "sme_profile", reason),)


def test_read_several_bad_cells_reports_all_at_once(tmp_path: Path) -> None:
    rows = [
        {
            **VALID_ROW,
            "name": "A",
            "country": "XX",
            "nuts": "",
            "email": "a@",
            "role": "coordinator",
        },
        {**VALID_ROW, "name": "B"},
        {**VALID_ROW, "name": "C", "role": "leader", "legal_entity": "perhaps"},
        {**VALID_ROW, "name": "D", "role": "coordinator", "website": "d"},
        {**VALID_ROW, "name": "b"},
    ]
    path = write_rows(tmp_path / "consortium.csv", rows, delimiter=";")

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    country = '"XX" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK'
    website = '"d" is not a website; give an http(s) address or a domain like example.org'
    assert caught.value.summary == "consortium.csv has 7 problems"
    assert caught.value.issues == (
        InputIssue("line 2", "country", country),
        InputIssue("line 2", "email", '"a@" is not an email address'),
        InputIssue("line 4", "legal_entity", '"perhaps" is not yes or no'),
        InputIssue("line 4", "role", f'"leader" is not a role; use one of: {ROLES}'),
        InputIssue("line 5", "role", "there is already a coordinator: A on line 2"),
        InputIssue("line 5", "website", website),
        InputIssue("line 6", "name", "the partner is already listed: B (DE) on line 3"),
    )


# ---------------------------------------------------------------------------- across rows


@pytest.mark.parametrize(
    ("second", "column", "reason"),
    [
        (
            {"name": "Other Cluster", "role": "coordinator"},
            "role",
            "there is already a coordinator: Valid Cluster (DE) on line 2",
        ),
        (
            {"name": "Other Cluster", "pic": "999999999"},
            "pic",
            "PIC 999999999 is already given for Valid Cluster (DE) on line 2",
        ),
        (
            {"name": "  valid   CLUSTER ", "id": ""},
            "name",
            "the partner is already listed: Valid Cluster (DE) on line 2",
        ),
    ],
)
def test_read_conflicting_rows_reports_the_later_row(
    tmp_path: Path, second: dict[str, str], column: str, reason: str
) -> None:
    first = {**VALID_ROW, "role": "coordinator", "id": "999999999"}
    rows = [first, {**VALID_ROW, "name": "Middle Cluster"}, {**VALID_ROW, **second}]
    path = write_rows(tmp_path / "consortium.csv", rows)

    issues = read_issues(path)

    assert issues == [InputIssue("line 4", column, reason)]


def test_read_same_name_in_other_countries_is_no_duplicate(tmp_path: Path) -> None:
    rows = [{"name": "Smart Cluster", "country": "DE"}, {"name": "Smart Cluster", "country": "AT"}]
    path = write_rows(tmp_path / "consortium.csv", rows)

    consortium = read_consortium(path)

    assert consortium.partners == (
        Partner(name="Smart Cluster", country="DE"),
        Partner(name="Smart Cluster", country="AT"),
    )


# ---------------------------------------------------------------------------- parse_rows


def test_parse_rows_numbers_rows_from_first_line_and_skips_blank_rows() -> None:
    rows: list[dict[str, str | None]] = [
        {"Name": "A", "Country": "DE"},
        {"Name": None, "Country": "  "},
        {"Name": "B", "Country": "ZZ", "Website": "not a site"},
    ]

    with pytest.raises(InvalidInputError) as caught:
        parse_rows(rows, source="upload", first_line=10)

    assert caught.value.summary == "upload has 2 problems"
    assert caught.value.issues == (
        InputIssue(
            "row 12",
            "country",
            '"ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK',
        ),
        InputIssue(
            "row 12",
            "website",
            '"not a site" is not a website; give an http(s) address or a domain like example.org',
        ),
    )


def test_parse_rows_reports_an_unknown_key_once() -> None:
    rows: list[dict[str, str | None]] = [
        {"name": "A", "country": "DE", "city": "Bonn"},
        {"name": "B", "country": "DE", "city": "Köln"},
    ]

    with pytest.raises(InvalidInputError) as caught:
        parse_rows(rows, source="upload", first_line=1, unit="partner")

    reason = f"is not a known column; the columns are: {KNOWN}"
    assert caught.value.issues == (InputIssue("partner 1", "city", reason),)
