"""The services-to-SMEs pages: a partner's user adds a service, records a training (mistakes
shown in place), filters the deliveries; the SME's user rates the training on its own page and
changes the rating; strangers get 404."""

import html
import re
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import (
    MonitoredProject,
    Organisation,
    ProjectService,
    ServiceDelivery,
    ServiceRating,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit
from clusterbridge.services.monitoring.service_catalogue import MAX_DESCRIPTION
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_delivery, make_project, make_service
from tests.factories.users import make_user
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]


@dataclass
class Ids:
    project: int
    cluster: int
    sme: int


@pytest.fixture
def ids(clean_database: Database) -> Ids:
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        tom = make_user(session, email="tom@tools.example", name="Tom")
        make_user(session, email="sam@example.org", name="Sam")
        cluster = make_organisation(session, name="Mobility Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, maria)
        add_member(session, sme, tom)
        project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
        return Ids(project.id, cluster.id, sme.id)


def test_a_partner_records_a_training_and_the_sme_rates_it(client: TestClient, ids: Ids) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, page)
    client.post(page, data={"name": "Cobot course", "kind": "training", "unit": "days",
                            "csrf_token": token})  # fmt: skip
    delivery = {
        "service": "Cobot course", "date": "2025-03-04", "quantity": "1", "unit": "",
        "organisation": "", "delivered_by": str(ids.cluster), "person": "Eva",
        "follow_up": "A second session in May", "csrf_token": token,
    }  # fmt: skip

    wrong = client.post(f"{page}/deliveries", data=delivery | {"participants": "Ana: many"})
    right = client.post(
        f"{page}/deliveries", data=delivery | {"participants": f"{ids.sme}: 4\nRui Costa"},
        follow_redirects=False,
    )  # fmt: skip
    listed = client.get(f"{page}?kind=training").text
    none_found = client.get(f"{page}?kind=recruitment").text

    assert wrong.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', html.unescape(wrong.text)) == [
        ("delivery-participants",
         '"Ana: many" is neither "organisation: number of people" nor a name'),
    ]  # fmt: skip
    assert right.status_code == 303
    assert re.findall(r"<dd>([^<]*)", listed)[:4] == ["1", "5", "1", "8 "]
    assert "Tiny Tools: 4 people; Rui Costa" in listed
    assert 'data-testid="no-deliveries">No delivery matches these filters.' in none_found

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, "tom@tools.example")
    mine = f"/organisations/{ids.sme}/services"
    token = csrf_token(client, mine)
    delivery_id = re.findall(r'id="delivery-(\d+)"', client.get(mine).text)[0]
    rate = f"{mine}/{delivery_id}/rating"
    client.post(rate, data={"score": "3", "comment": "", "csrf_token": token})
    changed = client.post(
        rate, data={"score": "5", "comment": "Hands-on", "csrf_token": token}
    )  # fmt: skip
    bad = client.post(rate, data={"score": "9", "comment": "", "csrf_token": token})

    assert "Your rating: 5/5 – “Hands-on”" in changed.text
    assert bad.status_code == 422
    assert "must be 1 to 5" in bad.text


def test_a_description_of_the_limits_length_is_saved_whole_and_a_longer_one_kept(
    client: TestClient, ids: Ids, clean_database: Database
) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, page)
    service = {"name": "Cobot course", "kind": "training", "unit": "days", "csrf_token": token}
    long, whole = "d" * (MAX_DESCRIPTION * 2), "d" * MAX_DESCRIPTION

    shown = client.get(page).text
    refused = client.post(page, data=service | {"description": long})
    saved = client.post(page, data=service | {"description": whole}, follow_redirects=False)

    assert '<textarea id="service-description" name="description" rows="2" >' in shown
    assert refused.status_code == 422
    assert (
        f'<textarea id="service-description" name="description" rows="2" aria-invalid="true" '
        f'aria-describedby="service-description-error">{long}</textarea>\n    '
        '<p class="field-error" id="service-description-error" '
        f'data-testid="error-service-description">must be at most {MAX_DESCRIPTION:,} characters, not {len(long):,}</p>'
    ) in refused.text
    assert saved.status_code == 303
    with clean_database.unit_of_work() as session:
        assert session.scalars(sa.select(ProjectService.description)).all() == [whole]


def test_a_filter_that_is_not_one_is_named_beside_its_field(client: TestClient, ids: Ids) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")

    garbage = client.get(f"{page}?start=garbage&kind=nothing&partner=x1")
    reversed_dates = client.get(f"{page}?start=2025-05-01&end=2025-04-30&kind=training")

    assert garbage.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', garbage.text) == [
        ("filter-kind", "“nothing” is not a kind of service"),
        ("filter-partner", "“x1” is not a partner of the project"),
        ("filter-start", "“garbage” is not a date (YYYY-MM-DD)"),
    ]
    assert reversed_dates.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', reversed_dates.text) == [
        ("filter-end", "is before the start (01 May 2025)")
    ]
    assert 'value="training" selected' in reversed_dates.text
    for refused in (garbage, reversed_dates):
        assert "No delivery matches" not in refused.text
        assert 'data-testid="no-deliveries">Correct the filters to see the deliveries.' in (
            refused.text
        )


def test_an_over_long_filter_is_named_beside_its_field(client: TestClient, ids: Ids) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")

    response = client.get(f"{page}?start={'a' * 25}&kind={'k' * 21}&partner=x1&service={'9' * 30}")

    assert response.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', response.text) == [
        ("filter-service", "must be at most 20 characters, not 30"),
        ("filter-kind", "must be at most 20 characters, not 21"),
        ("filter-partner", "“x1” is not a partner of the project"),
        ("filter-start", "must be at most 20 characters, not 25"),
    ]
    assert summary_items(response.text)[0] == (
        "Deliveries of the service: must be at most 20 characters, not 30"
    )
    assert "a" * 25 not in response.text


def test_an_unknown_pic_is_shown_beside_the_organisation_with_the_form_as_typed(
    client: TestClient, ids: Ids, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        project = session.get(MonitoredProject, ids.project)
        assert project is not None
        make_service(session, project, name="Audit", kind=ServiceKind.TECHNICAL_ASSISTANCE)
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")
    typed = {
        "service": "Audit", "date": "2025-03-04", "quantity": "2.5", "unit": "",
        "organisation": "999999999", "delivered_by": str(ids.cluster), "person": "Eva",
        "follow_up": "Call back in May", "participants": "",
        "csrf_token": csrf_token(client, page),
    }  # fmt: skip

    answer = client.post(f"{page}/deliveries", data=typed)

    text = html.unescape(answer.text)
    assert answer.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', text) == [
        ("delivery-organisation", "is not the PIC or registry number of an organisation"),
    ]
    kept = r'id="delivery-([\w-]+)" name="\w+" type="text"[^>]* value="([^"]*)"'
    assert re.findall(kept, text) == [
        ("quantity", "2.5"), ("organisation", "999999999"), ("person", "Eva"),
    ]  # fmt: skip
    assert re.findall(r'id="delivery-follow-up"[^>]*>([^<]*)<', text) == ["Call back in May"]


def test_a_refused_delivery_is_summed_up_and_each_field_marked_as_on_other_forms(
    client: TestClient, ids: Ids, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        project = session.get(MonitoredProject, ids.project)
        assert project is not None
        make_service(session, project, name="Audit", kind=ServiceKind.TECHNICAL_ASSISTANCE)
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")
    typed = {
        "service": "Audit", "date": "4 March", "quantity": "lots", "unit": "",
        "organisation": "999999999", "delivered_by": str(ids.cluster), "person": "Eva",
        "follow_up": "", "participants": "", "csrf_token": csrf_token(client, page),
    }  # fmt: skip

    answer = client.post(f"{page}/deliveries", data=typed)

    assert answer.status_code == 422
    assert summary_items(answer.text) == [
        "Date: is not a date (YYYY-MM-DD)",
        'Time spent: "lots" is not a number',
        "To the organisation: is not the PIC or registry number of an organisation",
    ]
    assert invalid_fields(answer.text) == [
        ("delivery-date", "is not a date (YYYY-MM-DD)"),
        ("delivery-quantity", '"lots" is not a number'),
        ("delivery-organisation", "is not the PIC or registry number of an organisation"),
    ]
    assert re.findall(r'id="delivery-(date|quantity)" [^>]*value="([^"]*)"', answer.text) == [
        ("date", "4 March"), ("quantity", "lots"),
    ]  # fmt: skip


def test_a_refused_service_and_refused_filters_are_summed_up_as_on_other_forms(
    client: TestClient, ids: Ids
) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")
    service = {
        "name": "",
        "kind": "juggling",
        "unit": "days",
        "csrf_token": csrf_token(client, page),
    }

    refused = client.post(page, data=service | {"description": "d" * (MAX_DESCRIPTION + 1)})
    filters = client.get(f"{page}?start=garbage&kind=nothing&partner=x1")

    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        "Name: is required",
        "Kind: choose one of the kinds listed",
        f"Description: must be at most {MAX_DESCRIPTION:,} characters, not {MAX_DESCRIPTION + 1:,}",
    ]
    assert invalid_fields(refused.text) == [
        ("service-name", "is required"),
        ("service-kind", "choose one of the kinds listed"),
        (
            "service-description",
            f"must be at most {MAX_DESCRIPTION:,} characters, not {MAX_DESCRIPTION + 1:,}",
        ),
    ]
    assert filters.status_code == 422
    assert summary_items(filters.text) == [
        "Deliveries of the kind: “nothing” is not a kind of service",
        "Deliveries by: “x1” is not a partner of the project",
        "Deliveries from: “garbage” is not a date (YYYY-MM-DD)",
    ]
    assert invalid_fields(filters.text) == [
        ("filter-kind", "“nothing” is not a kind of service"),
        ("filter-partner", "“x1” is not a partner of the project"),
        ("filter-start", "“garbage” is not a date (YYYY-MM-DD)"),
    ]


def test_strangers_do_not_see_a_projects_services(client: TestClient, ids: Ids) -> None:
    sign_in(client, "sam@example.org")

    project = client.get(f"/projects/{ids.project}/services")
    received = client.get(f"/organisations/{ids.sme}/services")

    assert (project.status_code, received.status_code) == (404, 404)


def _add_deliveries(database: Database, ids: Ids, count: int, *, name: str) -> None:
    with database.unit_of_work() as session:
        cluster, sme = session.get(Organisation, ids.cluster), session.get(Organisation, ids.sme)
        assert cluster is not None
        assert sme is not None
        project = session.get(MonitoredProject, ids.project)
        assert project is not None
        course = make_service(session, project, name=name, kind=ServiceKind.TRAINING)
        for _ in range(count):
            delivery = make_delivery(
                session, course, by=cluster, participants=((sme, 2, None), (None, 1, "Rui"))
            )
            session.add(ServiceRating(delivery_id=delivery.id, organisation_id=sme.id, score=4))


def test_the_pages_send_as_many_queries_for_one_delivery_as_for_three(
    client: TestClient, ids: Ids, app_state: AppState
) -> None:
    counts = []
    for who, page in (
        ("maria@mobility.example", f"/projects/{ids.project}/services"),
        ("tom@tools.example", f"/organisations/{ids.sme}/services"),
    ):
        sign_in(client, who)
        for added in (1, 2):
            _add_deliveries(app_state.database, ids, added, name=f"Course {len(counts)}")
            with count_queries(app_state.database.engine) as log:
                client.get(page)
            counts.append(log.count)
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})

    assert counts[0] == counts[1]
    assert counts[2] == counts[3]


def test_the_time_spent_reads_as_a_person_writes_it(
    client: TestClient, ids: Ids, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        cluster, sme = session.get(Organisation, ids.cluster), session.get(Organisation, ids.sme)
        project = session.get(MonitoredProject, ids.project)
        assert cluster is not None
        assert sme is not None
        assert project is not None
        audit = make_service(session, project, name="Audit", kind=ServiceKind.TECHNICAL_ASSISTANCE)
        for quantity, unit in (
            ("10", ServiceUnit.HOURS),
            ("1", ServiceUnit.DAYS),
            ("1.50", ServiceUnit.DAYS),
            ("0.5", ServiceUnit.HOURS),
        ):
            make_delivery(session, audit, by=cluster, to=sme, quantity=quantity, unit=unit)

    sign_in(client, "maria@mobility.example")
    project_page = client.get(f"/projects/{ids.project}/services").text
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, "tom@tools.example")
    sme_page = client.get(f"/organisations/{ids.sme}/services").text

    expected = ["0.5 hours", "1 day", "1.5 days", "10 hours"]
    assert sorted(re.findall(r'<td data-label="Time">([^<]*)</td>', project_page)) == expected
    assert sorted(re.findall(r" · ([\d.]+ (?:hours?|days?)) · ", sme_page)) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e-400", '"1e-400" is too small to store: write 0 or a number with fewer decimals'),
        ("inf", '"inf" is not a number'),
        ("nan", '"nan" is not a number'),
        ("1.000", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("0", "is not a positive number with at most two decimals"),
    ],
)
def test_a_quantity_that_does_not_read_is_refused_beside_it_in_the_words_of_every_form(
    client: TestClient, ids: Ids, clean_database: Database, text: str, reason: str
) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, page)
    client.post(page, data={"name": "Cobot course", "kind": "training", "unit": "days",
                            "csrf_token": token})  # fmt: skip
    delivery = {"service": "Cobot course", "date": "2025-03-04", "quantity": text,
                "delivered_by": str(ids.cluster), "csrf_token": token}  # fmt: skip

    response = client.post(f"{page}/deliveries", data=delivery)

    assert response.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', html.unescape(response.text)) == [
        ("delivery-quantity", reason)
    ]
    with clean_database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ServiceDelivery)) == 0


@pytest.mark.parametrize("digit", ["\u00b2", "\u0663"])
def test_a_partner_filter_of_other_digits_is_named_not_an_error_page(
    client: TestClient, ids: Ids, digit: str
) -> None:
    page = f"/projects/{ids.project}/services"
    sign_in(client, "maria@mobility.example")

    response = client.get(page, params={"partner": digit})

    assert response.status_code == 422
    assert re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', response.text) == [
        ("filter-partner", f"“{digit}” is not a partner of the project"),
    ]


def test_a_score_of_other_digits_is_refused_beside_it_not_an_error_page(
    client: TestClient, ids: Ids, app_state: AppState
) -> None:
    _add_deliveries(app_state.database, ids, 1, name="Cobot course")
    with app_state.database.unit_of_work() as session:
        delivery_id = session.scalars(sa.select(ServiceDelivery.id)).one()
    sign_in(client, "tom@tools.example")
    mine = f"/organisations/{ids.sme}/services"

    response = client.post(f"{mine}/{delivery_id}/rating",
                           data={"score": "\u00b2", "csrf_token": csrf_token(client, mine)})  # fmt: skip

    assert response.status_code == 422
    assert re.findall(r'id="rating-(\d+)-error">([^<]*)<', response.text) == [
        (str(delivery_id), "must be 1 to 5")
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(ServiceRating.score)).all() == [4]
